import { execFileSync, spawnSync } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildpackKey, fixturesDir, md5Hex, xxh64Hex } from "../../kit/fixture-blobs.js";

// Runs the bash stand-in of the lifecycle builder on this host, as a staging task would run it.
const builder = join(fixturesDir, "lifecycle", "builder");

type Layout = "xxhash" | "md5" | "nested";

// Each test runs the bash builder (and its bash XXH64 when xxhsum is missing) once or twice.
describe("fixture lifecycle builder (host)", { timeout: 30_000 }, () => {
  let root: string;
  const paths = () => ({
    buildDir: join(root, "app"),
    buildpacksDir: join(root, "buildpacks"),
    cacheDir: join(root, "cache"),
    droplet: join(root, "out", "droplet"),
    result: join(root, "out", "result.json"),
    outputCache: join(root, "out", "output-cache"),
  });

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), "fixture-builder-"));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  async function install(name: string, layout: Layout = "xxhash"): Promise<string> {
    const key = buildpackKey(name);
    const hash = layout === "md5" ? md5Hex(key) : xxh64Hex(key);
    const dest = join(paths().buildpacksDir, hash, layout === "nested" ? `${name}-1.0` : "");
    await cp(join(fixturesDir, "buildpacks", name), dest, { recursive: true });
    return key;
  }

  async function prepareApp(app: string): Promise<void> {
    await cp(join(fixturesDir, "apps", app), paths().buildDir, { recursive: true });
  }

  function runBuilder(
    order: string[],
    extraArgs: string[] = [],
    extraEnv: Record<string, string> = {},
  ) {
    const p = paths();
    const args = [
      `-buildArtifactsCacheDir=${p.cacheDir}`,
      `-buildDir=${p.buildDir}`,
      `-buildpackOrder=${order.join(",")}`,
      `-buildpacksDir=${p.buildpacksDir}`,
      `-outputBuildArtifactsCache=${p.outputCache}`,
      `-outputDroplet=${p.droplet}`,
      `-outputMetadata=${p.result}`,
      "-skipCertVerify=false",
      ...extraArgs,
    ];
    const run = spawnSync(builder, args, {
      encoding: "utf8",
      env: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        TMPDIR: root,
        CF_STACK: "cflinuxfs4",
        ...extraEnv,
      },
    });
    return { code: run.status, stdout: run.stdout, stderr: run.stderr };
  }

  const listTgz = (file: string): string[] =>
    execFileSync("tar", ["-tzf", file], { encoding: "utf8" }).trim().split("\n");
  const readFromTgz = (file: string, entry: string): string =>
    execFileSync("tar", ["-xzOf", file, entry], { encoding: "utf8" });

  it("detects the static buildpack after one that never detects and writes the droplet", async () => {
    const never = await install("never", "md5");
    const stat = await install("static");
    await prepareApp("hello-static");

    const run = runBuilder([never, stat], ["-skipDetect=false"]);

    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("-----> Static buildpack 1.2.3");
    expect(run.stdout).toContain("Build artifacts cache: cold");
    const web = "busybox httpd -f -p $PORT -h /home/vcap/app/public";
    expect(await readFile(paths().result, "utf8")).toBe(
      `{"lifecycle_metadata":{"buildpack_key":"${stat}","detected_buildpack":"static_buildpack",` +
        `"buildpacks":[{"key":"${stat}","name":"static_buildpack","version":"1.2.3"}]},` +
        `"process_types":{"web":"${web}"},"processes":[{"type":"web","command":"${web}"}],` +
        `"sidecars":null,"execution_metadata":"","lifecycle_type":"buildpack"}\n`,
    );
    const entries = listTgz(paths().droplet);
    expect(entries[0]).toBe("./");
    expect(entries).toEqual(
      expect.arrayContaining([
        "./app/",
        "./app/Staticfile",
        "./app/public/index.html",
        "./deps/0/config.yml",
        "./profile.d/",
        "./profile.d/static.sh",
        "./staging_info.yml",
        "./tmp/",
        "./logs/",
      ]),
    );
    expect(entries.every((e) => e.startsWith("./"))).toBe(true);
    expect(readFromTgz(paths().droplet, "./staging_info.yml")).toBe(
      `{"detected_buildpack":"static_buildpack","start_command":"${web}"}\n`,
    );
    expect(listTgz(paths().outputCache)).toContain("./final/static-buildpack.builds");
  });

  it("round-trips the build artifacts cache and drops what no buildpack owns", async () => {
    const stat = await install("static", "nested");
    await prepareApp("hello-static");
    expect(runBuilder([stat]).code).toBe(0);

    await mkdir(paths().cacheDir, { recursive: true });
    execFileSync("tar", ["-xzf", paths().outputCache, "-C", paths().cacheDir]);
    await writeFile(join(paths().cacheDir, "stale-file"), "from an old stack");
    const second = runBuilder([stat]);

    expect(second.code).toBe(0);
    expect(second.stdout).toContain("Build artifacts cache: warm (builds so far: 1)");
    expect(listTgz(paths().outputCache)).not.toContain("./stale-file");
    expect(readFromTgz(paths().outputCache, "./final/static-buildpack.builds")).toBe("2\n");
  });

  it("exits 222 when no buildpack detects the app", async () => {
    const never = await install("never");
    await prepareApp("hello-static");
    const run = runBuilder([never]);
    expect(run.code).toBe(222);
    expect(run.stderr).toBe("None of the buildpacks detected a compatible application\n");
  });

  it("exits 223 when compile fails", async () => {
    const broken = await install("broken-compile");
    await prepareApp("hello-shell");
    const run = runBuilder([broken]);
    expect(run.code).toBe(223);
    expect(run.stderr).toContain("ERROR: compilation failed on purpose");
    expect(run.stderr).toMatch(/Failed to compile droplet: exit status 1\n$/);
  });

  it("exits 224 when release fails", async () => {
    const broken = await install("broken-release");
    await prepareApp("hello-shell");
    const run = runBuilder([broken]);
    expect(run.code).toBe(224);
    expect(run.stderr).toMatch(/Failed to build droplet release: exit status 1\n$/);
  });

  it("exits 2 with Go's usage on an unknown flag, 1 on an empty value", () => {
    const unknown = spawnSync(builder, ["-bogus=1"], { encoding: "utf8" });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/^flag provided but not defined: -bogus\nUsage of builder:\n/);
    expect(unknown.stderr).toContain("  -skipDetect\n");

    const empty = spawnSync(builder, ["-buildDir", "/tmp/app"], { encoding: "utf8" });
    expect(empty.status).toBe(1);
    expect(empty.stderr).toBe("missing flag: -buildpackOrder\n");
  });

  it("with -skipDetect=true supplies with every buildpack and finishes with the last", async () => {
    const stat = await install("static");
    const shell = await install("shell", "md5");
    await prepareApp("hello-shell");
    await writeFile(join(paths().buildDir, "Procfile"), "worker: bash run.sh --worker\n");

    const run = runBuilder([stat, shell], ["-skipDetect"]);

    expect(run.code).toBe(0);
    expect(run.stderr).toContain(
      "Warning: the last buildpack is not compatible with multi-buildpack apps",
    );
    const result = JSON.parse(await readFile(paths().result, "utf8")) as Record<string, unknown>;
    expect(result).toMatchObject({
      lifecycle_metadata: {
        buildpack_key: shell,
        detected_buildpack: "",
        buildpacks: [
          { key: stat, name: "static_buildpack", version: "1.2.3" },
          { key: shell, name: "" },
        ],
      },
      process_types: { web: "bash run.sh", worker: "bash run.sh --worker" },
    });
    const droplet = listTgz(paths().droplet);
    expect(droplet).toContain("./deps/0/config.yml");
    expect(droplet.some((e) => e.startsWith("./deps/1"))).toBe(false);
    expect(listTgz(paths().outputCache)).toContain(`./${xxh64Hex(stat)}/static-buildpack.builds`);
  });

  it("exits 225 when a supply buildpack has no bin/supply", async () => {
    const shell = await install("shell");
    const stat = await install("static");
    await prepareApp("hello-shell");
    const run = runBuilder([shell, stat], ["-skipDetect=true"]);
    expect(run.code).toBe(225);
    expect(run.stderr).toContain("does not support multi-buildpack apps");
  });

  it("reports a buildpack directory without bin/ as malformed", async () => {
    const key = buildpackKey("empty");
    await mkdir(join(paths().buildpacksDir, xxh64Hex(key), "docs"), { recursive: true });
    await prepareApp("hello-shell");
    const run = runBuilder([key], ["-skipDetect=true"]);
    expect(run.code).toBe(225);
    expect(run.stderr).toContain(`malformed buildpack does not contain a /bin dir: ${key}`);
  });

  /** A buildpack key whose XXH64 starts with 0: Go's "%x" and "%016x" name it differently. */
  function keyWithLeadingZero(): string {
    for (let i = 0; ; i++) {
      const key = `leading-zero-${i}`;
      if (xxh64Hex(key).startsWith("0")) return key;
    }
  }

  it("names a supply buildpack's cache dir with the 16-digit XXH64, as upstream", async () => {
    const supply = keyWithLeadingZero();
    const unpadded = xxh64Hex(supply).replace(/^0+/, "");
    await cp(join(fixturesDir, "buildpacks", "supply"), join(paths().buildpacksDir, unpadded), {
      recursive: true,
    });
    const stat = await install("static");
    await prepareApp("hello-static");
    await mkdir(join(paths().cacheDir, unpadded), { recursive: true });
    await writeFile(join(paths().cacheDir, unpadded, "stale"), "unpadded dir from an old builder");

    const run = runBuilder([supply, stat], ["-skipDetect=true"]);

    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const cache = listTgz(paths().outputCache);
    expect(cache).toContain(`./${xxh64Hex(supply)}/supply-buildpack.builds`);
    expect(cache.some((e) => e.startsWith(`./${unpadded}`))).toBe(false);
    const droplet = listTgz(paths().droplet);
    expect(droplet).toEqual(
      expect.arrayContaining([
        "./deps/0/config.yml",
        "./deps/0/bin/supplied-tool",
        "./deps/1/config.yml",
        "./app/.profile.d/000_multi-supply.sh",
      ]),
    );
    expect(readFromTgz(paths().droplet, "./app/.profile.d/000_multi-supply.sh")).toBe(
      "export PATH=$DEPS_DIR/0/bin:$PATH\nexport PATH=$DEPS_DIR/1/bin:$PATH\n",
    );
    const result = JSON.parse(await readFile(paths().result, "utf8")) as Record<string, unknown>;
    expect(result).toMatchObject({
      lifecycle_metadata: {
        buildpacks: [
          { key: supply, name: "supply_buildpack", version: "0.9.0" },
          { key: stat, name: "static_buildpack", version: "1.2.3" },
        ],
      },
    });
  });

  it("runs the app's bin/build from a compile buildpack, writing into the build dir", async () => {
    const stat = await install("static");
    const appBuild = await install("app-build");
    await prepareApp("hello-build");

    const run = runBuilder([stat, appBuild]);

    expect(run.code).toBe(0);
    expect(run.stdout).toContain("bin/build wrote built.marker");
    expect(readFromTgz(paths().droplet, "./app/built.marker")).toBe("built by bin/build\n");
    expect(listTgz(paths().droplet)).toContain("./app/.profile.d/app-build.sh");
    // deps/0 is removed for a compile-only buildpack, so upstream says it has no config.yml.
    expect(run.stdout).toContain(
      `Failed to read buildpack config.yml for buildpack key ${appBuild}: open ${root}/contents`,
    );
  });

  it("writes result.json with the buildpack metadata when the build fails after detect", async () => {
    const broken = await install("broken-compile");
    await prepareApp("hello-shell");
    const run = runBuilder([broken]);
    expect(run.code).toBe(223);
    expect(await readFile(paths().result, "utf8")).toBe(
      `{"lifecycle_metadata":{"buildpack_key":"${broken}","detected_buildpack":"broken-compile",` +
        `"buildpacks":[{"key":"${broken}","name":"broken-compile"}]},"process_types":null,` +
        `"processes":null,"sidecars":null,"execution_metadata":"","lifecycle_type":"buildpack"}\n`,
    );
  });

  it("writes no result.json when no buildpack detects", async () => {
    const never = await install("never");
    await prepareApp("hello-static");
    expect(runBuilder([never]).code).toBe(222);
    await expect(readFile(paths().result, "utf8")).rejects.toThrow(/ENOENT/);
  });

  it("stops as upstream does on a credhub-ref without instance credentials", async () => {
    const stat = await install("static");
    await prepareApp("hello-static");
    const platform = {
      VCAP_PLATFORM_OPTIONS: '{"credhub-uri":"https://credhub.service.cf.internal:8844"}',
    };
    const withRef = {
      ...platform,
      VCAP_SERVICES: '{"p-db":[{"credentials":{"credhub-ref":"((/c/db))"}}]}',
    };
    const missing = runBuilder([stat], [], withRef);
    expect(missing.code).toBe(4);
    expect(missing.stderr).toBe(
      "Unable to interpolate credhub refs: unable to set up credhub client: " +
        "missing CF_INSTANCE_CERT and/or CF_INSTANCE_KEY",
    );
    const noRef = runBuilder([stat], [], { ...platform, VCAP_SERVICES: '{"p-db":[]}' });
    expect(noRef.code).toBe(0);
    const certs = {
      ...withRef,
      CF_INSTANCE_CERT: "/etc/cf-instance-credentials/instance.crt",
      CF_INSTANCE_KEY: "/etc/cf-instance-credentials/instance.key",
    };
    expect(runBuilder([stat], [], certs).stderr).toContain("missing CF_SYSTEM_CERT_PATH");
  });
});
