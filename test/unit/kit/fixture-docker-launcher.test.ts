/**
 * The fixture docker app launcher (fixtures/docker-lifecycle/launcher) keeps the real one's
 * contract (dockerapplifecycle launcher/main.go): `<ignored> <start command> <metadata>`, the
 * VCAP_APPLICATION rewrite, workdir (default /), start command through /bin/sh -c, else the
 * metadata's entrypoint + cmd with argv[0] looked up in PATH, and its messages and exit codes.
 */
import { join } from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { fixturesDir } from "../../kit/fixture-blobs.js";

const launcher = join(fixturesDir, "docker-lifecycle", "launcher");
const baseEnv = { PATH: "/usr/local/bin:/usr/bin:/bin" };

async function launch(args: string[], env: Record<string, string> = {}) {
  const result = await execa(launcher, args, {
    env: { ...baseEnv, ...env },
    extendEnv: false,
    reject: false,
    cwd: "/tmp",
  });
  return { code: result.exitCode, stdout: result.stdout, stderr: result.stderr };
}

describe("the fixture docker app launcher", () => {
  it("runs entrypoint + cmd in the workdir, argv[0] resolved in PATH, with the env", async () => {
    const script =
      'printf "%s\\n" "$(tr "\\0" " " </proc/$$/cmdline)| $0|$1 in $(pwd) as $GREETING"';
    const metadata = JSON.stringify({
      cmd: ["-c", script, "zero", "arg one"],
      entrypoint: ["sh"],
      workdir: "/usr",
      ports: [{ Port: 8080, Protocol: "tcp" }],
      user: "nobody",
    });
    const result = await launch(["app", "", metadata], { GREETING: "hi" });
    expect(result).toEqual({
      code: 0,
      stdout: `/usr/bin/sh -c ${script} zero arg one | zero|arg one in /usr as hi`,
      stderr: "",
    });
  });

  it("runs a start command through /bin/sh -c, in / when the metadata has no workdir", async () => {
    const result = await launch(["app", "pwd; exit 7", '{"cmd":["ignored"]}']);
    expect(result).toMatchObject({ code: 7, stdout: "/" });
  });

  it("rewrites VCAP_APPLICATION as Go marshals the map: keys sorted, host, instance fields", async () => {
    const env = {
      VCAP_APPLICATION: '{"name":"app","limits":{"mem":256}}',
      INSTANCE_GUID: "g-1",
      INSTANCE_INDEX: "3",
      PORT: "8080",
    };
    const result = await launch(["app", 'printf %s "$VCAP_APPLICATION"', "{}"], env);
    expect(result.stdout).toBe(
      '{"host":"0.0.0.0","instance_id":"g-1","instance_index":3,"limits":{"mem":256},"name":"app","port":8080}',
    );
  });

  it.each([
    [
      ["app", "cmd"],
      /^Usage: .*launcher <ignored> <start command> <metadata> \[<platform-options>\]$/,
    ],
    [["app", "", "not json"], /^Invalid metadata - invalid character 'n'/],
    [["app", "", "{}"], /^No start command found or specified$/],
    [
      ["app", "", '{"cmd":["no-such-program"]}'],
      /^Failed to resolve path: exec: "no-such-program": executable file not found in \$PATH$/,
    ],
  ])("%j exits 1: %s", async (args, message) => {
    const result = await launch(args);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
  });

  it("exits 3 on invalid platform options and 4 when CredHub would be needed", async () => {
    expect((await launch(["app", "true", "{}"], { VCAP_PLATFORM_OPTIONS: "nope" })).code).toBe(3);
    const credhub = {
      VCAP_PLATFORM_OPTIONS: '{"credhub-uri":"https://credhub.example"}',
      VCAP_SERVICES: '{"s":[{"credentials":{"credhub-ref":"/c/x"}}]}',
    };
    expect((await launch(["app", "true", "{}"], credhub)).code).toBe(4);
    const noRefs = { VCAP_PLATFORM_OPTIONS: '{"credhub-uri":"https://credhub.example"}' };
    expect(await launch(["app", 'printf %s "$VCAP_PLATFORM_OPTIONS"', "{}"], noRefs)).toMatchObject(
      {
        code: 0,
        stdout: '{"credhub-uri":"https://credhub.example"}',
      },
    );
  });
});
