/**
 * Staging as a Diego cell stages, seen from inside the container: the built CLI, the real Docker
 * engine and the fake Cloud Foundry, with fixture buildpacks that write into the build
 * directory, supply dependencies, keep a cache, and report what they see (the `inspect`
 * buildpack prints the owner and mode of the staging directories and the builder's environment).
 *
 * Every expected value comes from what a cell does (guardian's nstar for downloads, Garden's and
 * the executor's process environment, the rep's result handling), not from restager's output.
 */
import { describe, expect, it } from "vitest";
import { list } from "tar";
import { xxh64Hex, buildpackKey } from "../kit/fixture-blobs.js";
import type { StagingWorld } from "../kit/staging-world.js";
import { useE2eCase } from "../kit/e2e/e2e-case.js";
import { expectExit } from "../kit/e2e/expectations.js";

const e2e = useE2eCase();

/** The text of one entry of a gzipped tarball. */
async function tarEntryText(file: string, name: string): Promise<string | undefined> {
  let text: string | undefined;
  await list({
    file,
    onReadEntry: (entry) => {
      if (entry.path !== name) return entry.resume();
      const chunks: Buffer[] = [];
      entry.on("data", (chunk: Buffer) => chunks.push(chunk));
      entry.on("end", () => (text = Buffer.concat(chunks).toString("utf8")));
    },
  });
  return text;
}

async function dropletEntries(world: StagingWorld): Promise<string[]> {
  return (await dropletOwners(world)).map((entry) => entry.path);
}

/** The uploaded droplet's entries with their owners, as the builder's tar recorded them. */
async function dropletOwners(world: StagingWorld) {
  const [droplet] = world.cf.uploadedDroplets();
  if (!droplet) throw new Error("no droplet was uploaded");
  const entries: { path: string; uid: number | undefined; gid: number | undefined }[] = [];
  await list({
    file: droplet.filePath,
    onReadEntry: (entry) => entries.push({ path: entry.path, uid: entry.uid, gid: entry.gid }),
  });
  return entries;
}

/** `<prefix> rest` lines of the staging output (the buildpack's stdout, tagged [STG] OUT). */
function reported(stderr: string, prefix: string): string[] {
  const marker = `[STG] OUT ${prefix} `;
  return stderr
    .split("\n")
    .filter((line) => line.includes(marker))
    .map((line) => line.slice(line.indexOf(marker) + marker.length));
}

/** `STAT owner mode path` lines, by path. */
function stats(stderr: string): Map<string, { owner: string; mode: string }> {
  return new Map(
    reported(stderr, "STAT").map((line) => {
      const [owner = "", mode = "", ...path] = line.split(" ");
      return [path.join(" "), { owner, mode }];
    }),
  );
}

interface RunJson {
  run?: { path: string; env?: { name: string; value: string }[] };
  [kind: string]: unknown;
}

/** The builder run action's env, found in the task's action tree. */
function builderEnv(task: Record<string, unknown>): { name: string; value: string }[] {
  const found: { name: string; value: string }[][] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (typeof node !== "object" || node === null) return;
    const run = (node as RunJson).run;
    if (run?.path === "/tmp/lifecycle/builder") found.push(run.env ?? []);
    Object.values(node).forEach(walk);
  };
  walk(task.action);
  if (found.length !== 1) throw new Error(`expected one builder run, found ${found.length}`);
  return found[0] ?? [];
}

describe("staging as a cell stages", () => {
  it("detects across two buildpacks; the winner runs the app's bin/build, writing into /tmp/app", async () => {
    const world = await e2e().world({ buildpacks: ["static", "app-build"], app: "hello-build" });
    const run = await e2e().restage([world.taskFile, "--no-image"]);
    expectExit(run, 0);
    expect(run.stderr).toContain("[STG] OUT -----> App build buildpack 0.3.0");
    expect(run.stderr).toContain("bin/build wrote built.marker");
    const [droplet] = world.cf.uploadedDroplets();
    expect(await tarEntryText(droplet?.filePath ?? "", "./app/built.marker")).toBe(
      "built by bin/build\n",
    );
    const entries = await dropletEntries(world);
    expect(entries).toContain("./app/.profile.d/app-build.sh");
    expect(entries.every((name) => name.startsWith("./"))).toBe(true);
    // The builder runs as vcap (uid 2000 in the stack image) and tars what vcap owns.
    const owners = new Set((await dropletOwners(world)).map((e) => `${e.uid}:${e.gid}`));
    expect([...owners]).toEqual(["2000:2000"]);
  });

  it("stages with a supply buildpack then a final one (deps/<index>, config.yml, .profile.d)", async () => {
    const world = await e2e().world({ buildpacks: ["supply", "static"], skipDetect: true });
    const run = await e2e().restage([world.taskFile, "--no-image", "--json"]);
    expectExit(run, 0);
    const json = JSON.parse(run.stdout) as { result: Record<string, unknown> };
    expect(json.result).toMatchObject({
      lifecycle_metadata: {
        buildpack_key: buildpackKey("static"),
        buildpacks: [
          { key: buildpackKey("supply"), name: "supply_buildpack", version: "0.9.0" },
          { key: buildpackKey("static"), name: "static_buildpack", version: "1.2.3" },
        ],
      },
    });
    const entries = await dropletEntries(world);
    expect(entries).toEqual(
      expect.arrayContaining([
        "./deps/0/config.yml",
        "./deps/0/bin/supplied-tool",
        "./deps/1/config.yml",
        "./profile.d/static.sh",
        "./app/.profile.d/000_multi-supply.sh",
      ]),
    );
  });

  it("a second staging downloads the first's build artifacts cache, supply cache dirs included", async () => {
    const world = await e2e().world({ buildpacks: ["supply", "static"], skipDetect: true });
    const first = await e2e().restage([world.taskFile, "--no-image"]);
    expectExit(first, 0);
    expect(first.stderr.match(/Build artifacts cache: cold/g)).toHaveLength(2);
    const [cache] = world.cf.uploadedBuildArtifacts();
    const cacheEntries: string[] = [];
    await list({ file: cache?.filePath ?? "", onReadEntry: (e) => cacheEntries.push(e.path) });
    // The real builder names a supply buildpack's cache dir with the 16-digit XXH64 of its key.
    expect(cacheEntries).toContain(`./${xxh64Hex(buildpackKey("supply"))}/supply-buildpack.builds`);
    expect(cacheEntries).toContain("./final/static-buildpack.builds");

    const second = await e2e().restage([world.taskFile, "--no-image"]);
    expectExit(second, 0);
    expect(second.stderr).toContain(`Downloaded build artifacts cache (`);
    expect(second.stderr.match(/Build artifacts cache: warm \(builds so far: 1\)/g)).toHaveLength(
      2,
    );
  });

  it("gives /tmp/app, /tmp/cache and the extracted files to vcap, the dependencies to root", async () => {
    const world = await e2e().world({ buildpacks: ["inspect"], app: "hello-static" });
    const run = await e2e().restage([world.taskFile, "--no-image"]);
    expectExit(run, 0);
    const seen = stats(run.stderr);
    expect(reported(run.stderr, "WHOAMI")).toEqual(["vcap:vcap"]);
    // /tmp exists in the rootfs: nstar keeps its owner and mode.
    expect(seen.get("/tmp")).toEqual({ owner: "root:root", mode: "1777" });
    // A download's missing `to` components are created 0755 and owned by the download user.
    expect(seen.get("/tmp/app")).toEqual({ owner: "vcap:vcap", mode: "755" });
    // The first staging has no cache to download: the builder (vcap, umask 022) creates it.
    expect(seen.get("/tmp/cache")).toEqual({ owner: "vcap:vcap", mode: "755" });
    // Extracted entries are the user's whatever the archive says, modes masked by the umask.
    expect(seen.get("/tmp/app/Staticfile")).toEqual({ owner: "vcap:vcap", mode: "644" });
    expect(seen.get("/tmp/app/public")).toEqual({ owner: "vcap:vcap", mode: "755" });
    expect(seen.get("/tmp/app/public/index.html")).toEqual({ owner: "vcap:vcap", mode: "644" });
    // Cached dependencies are mounted read-only, owned by root (the cell's extraction).
    const dir = `/tmp/buildpacks/${xxh64Hex(buildpackKey("inspect"))}`;
    const md5Dir = [...seen.keys()].find((path) => path.startsWith("/tmp/buildpacks/"));
    expect(md5Dir ?? dir).toMatch(/^\/tmp\/buildpacks\/[0-9a-f]{16,32}$/);
    expect(seen.get(md5Dir ?? dir)?.owner).toBe("root:root");
    expect(seen.get("/tmp/lifecycle")?.owner).toBe("root:root");
  });

  it("runs the builder with exactly Garden's and the executor's environment", async () => {
    const world = await e2e().world({ buildpacks: ["inspect"], app: "hello-static" });
    const run = await e2e().restageFromLog(world, ["--no-image"]);
    expectExit(run, 0);
    const env = new Map(
      reported(run.stderr, "ENV").map((line) => [
        line.slice(0, line.indexOf("=")),
        line.slice(line.indexOf("=") + 1),
      ]),
    );
    const expected = new Map<string, string | RegExp>([
      // The task's container env.
      ["LANG", "en_US.UTF-8"],
      // Garden's defaults for a non-root user; runc's HOME from /etc/passwd.
      ["PATH", "/usr/local/bin:/usr/bin:/bin"],
      ["USER", "vcap"],
      ["HOME", "/home/vcap"],
      // The executor's networking variables, with a task's values (no ports).
      ["CF_INSTANCE_IP", /^\d+\.\d+\.\d+\.\d+$/],
      ["CF_INSTANCE_INTERNAL_IP", /^\d+\.\d+\.\d+\.\d+$/],
      ["CF_INSTANCE_PORT", ""],
      ["CF_INSTANCE_ADDR", ""],
      ["CF_INSTANCE_PORTS", "[]"],
      // Trusted system certificates and instance identity, as the executor sets them.
      ["CF_SYSTEM_CERT_PATH", "/etc/cf-system-certificates"],
      ["CF_INSTANCE_CERT", "/etc/cf-instance-credentials/instance.crt"],
      ["CF_INSTANCE_KEY", "/etc/cf-instance-credentials/instance.key"],
    ]);
    // The run action's own env, value by value (VCAP_APPLICATION, VCAP_SERVICES, CF_STACK, ...).
    for (const { name, value } of builderEnv(world.task)) expected.set(name, value);
    expect([...env.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [name, want] of expected) {
      if (want instanceof RegExp) expect(env.get(name), name).toMatch(want);
      else expect(env.get(name), name).toBe(want);
    }
    expect(env.has("HOSTNAME")).toBe(false);
    // Garden's hostname is the container handle (the task guid), cut to its last 49 characters
    // (guardian rundmc/bundlerules/hostname.go).
    expect(world.stagingGuid.length).toBeGreaterThan(49);
    expect(reported(run.stderr, "HOSTNAME")).toEqual([world.stagingGuid.slice(-49)]);
  });

  it("sends the result file the failed builder wrote in the callback", async () => {
    const world = await e2e().world({ buildpacks: ["broken-compile"], app: "hello-shell" });
    const run = await e2e().restage([world.taskFile, "--callback"]);
    expect(run.exitCode, run.stderr).toBe(223);
    const [callback] = world.cf.callbacks();
    expect(callback?.problem).toBeUndefined();
    expect(callback?.payload).toMatchObject({ task_guid: world.stagingGuid, failed: true });
    expect(callback?.payload?.failure_reason).toMatch(/Exited with status 223$/);
    const key = buildpackKey("broken-compile");
    expect(callback?.payload?.result).toBe(
      `{"lifecycle_metadata":{"buildpack_key":"${key}","detected_buildpack":"broken-compile",` +
        `"buildpacks":[{"key":"${key}","name":"broken-compile"}]},"process_types":null,` +
        `"processes":null,"sidecars":null,"execution_metadata":"","lifecycle_type":"buildpack"}\n`,
    );
  });
});
