import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fixturesDir } from "../../kit/fixture-blobs.js";

// The launcher and healthcheck stand-ins, run on this host from an extracted droplet layout.
const launcher = join(fixturesDir, "lifecycle", "launcher");
const healthcheck = join(fixturesDir, "lifecycle", "healthcheck");

describe("fixture launcher (host)", () => {
  let home: string;
  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), "fixture-launcher-"));
    for (const dir of ["app/.profile.d", "deps/0", "profile.d", "tmp", "logs"]) {
      await mkdir(join(home, dir), { recursive: true });
    }
    await writeFile(join(home, "profile.d", "a.sh"), "export FROM_DROPLET_PROFILE=1\n");
    await writeFile(
      join(home, "app", ".profile.d", "b.sh"),
      "export FROM_APP_PROFILE=$FROM_DROPLET_PROFILE\n",
    );
    await writeFile(join(home, "app", ".profile"), "export FROM_DOT_PROFILE=1\n");
  });
  afterEach(async () => {
    await rm(home, { recursive: true, force: true });
  });

  const launch = (args: string[], env: Record<string, string> = {}) => {
    const run = spawnSync(launcher, args, {
      cwd: home,
      encoding: "utf8",
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...env },
    });
    return { code: run.status, stdout: run.stdout, stderr: run.stderr };
  };

  it("runs the staged start command after the profile scripts, with the launch environment", async () => {
    const start =
      'printf "%s\\n" "$HOME" "$TMPDIR" "$DEPS_DIR" "$PWD" "$FROM_APP_PROFILE$FROM_DOT_PROFILE" "${VCAP_PLATFORM_OPTIONS-unset}" "$VCAP_APPLICATION"';
    await writeFile(
      join(home, "staging_info.yml"),
      `${JSON.stringify({ detected_buildpack: "x", start_command: start })}\n`,
    );
    const run = launch(["app", "", ""], {
      PORT: "8080",
      INSTANCE_GUID: "guid-1",
      INSTANCE_INDEX: "2",
      VCAP_PLATFORM_OPTIONS: "{}",
      VCAP_APPLICATION: '{"name":"a&b","limits":{"mem":256,"disk":1024},"port":1}',
    });

    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const app = join(home, "app");
    expect(run.stdout.split("\n")).toEqual([
      "Invoking pre-start scripts.",
      "Invoking start command.",
      app,
      join(home, "tmp"),
      join(home, "deps"),
      app,
      "11",
      "unset",
      '{"host":"0.0.0.0","instance_id":"guid-1","instance_index":2,"limits":{"disk":1024,"mem":256},"name":"a\\u0026b","port":8080}',
      "",
    ]);
  });

  it("prefers the command given on the command line and exits with its status", () => {
    const run = launch(["app", "echo given; exit 7", ""]);
    expect(run.stdout).toBe("Invoking pre-start scripts.\nInvoking start command.\ngiven\n");
    expect(run.code).toBe(7);
  });

  it("exits 1 without a start command or with fewer than three arguments", () => {
    const none = launch(["app", "", ""]);
    expect(none.code).toBe(1);
    expect(none.stderr).toBe(`${launcher}: no start command specified or detected in droplet`);

    const short = launch(["app"]);
    expect(short.code).toBe(1);
    expect(short.stderr).toContain(
      `${launcher}: received only 1 arguments\nUsage: ${launcher} <app-directory>`,
    );
  });

  it("exits 3 when VCAP_PLATFORM_OPTIONS names a CredHub it cannot reach", () => {
    const run = launch(["app", "true", ""], {
      VCAP_PLATFORM_OPTIONS: '{"credhub-uri":"https://credhub"}',
    });
    expect(run.code).toBe(3);
  });
});

describe("fixture healthcheck (host)", () => {
  it("exits 2 with Go's usage on an unknown or malformed flag", () => {
    const unknown = spawnSync(healthcheck, ["-bogus"], { encoding: "utf8" });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/^flag provided but not defined: -bogus\nUsage of /);
    const bad = spawnSync(healthcheck, ["-timeout=soon"], { encoding: "utf8" });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^invalid value "soon" for flag -timeout: parse error\n/);
  });
});
