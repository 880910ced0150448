/**
 * `restage` end to end: the built CLI, the real Docker engine and a fake Cloud Foundry.
 * Successful stagings: from a log line, with a warm cache, the CC ≥ 2024 task shape, cfdot
 * output, --no-upload and --dry-run.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { faults } from "../kit/fake-cf/fake-cf.js";
import { useE2eCase } from "../kit/e2e/e2e-case.js";
import { base64OfHex, expectExit, expectNoSecrets, urlSecrets } from "../kit/e2e/expectations.js";
import { tarEntryNames } from "../kit/e2e/tar-listing.js";

interface ArtifactJson {
  size: number;
  md5: string;
  uploaded: boolean;
  path: string | null;
}
interface RestageJson {
  result: { process_types: Record<string, string> };
  droplet: ArtifactJson;
  build_artifacts_cache: ArtifactJson;
  failed: boolean;
}

describe("restage", () => {
  const current = useE2eCase();

  it("restages the task found in a stager log, uploads the droplet and keeps stdout clean", async () => {
    const e2e = current();
    const world = await e2e.world();
    const run = await e2e.restageFromLog(world, ["--json"]);
    expectExit(run, 0);
    const json = JSON.parse(run.stdout) as RestageJson;
    expect(run.stdout.trim()).toMatch(/^\{[\s\S]*\}$/);
    expect(json.failed).toBe(false);
    expect(json.result.process_types.web).toContain("httpd");
    expect(json.droplet).toMatchObject({ uploaded: true, size: expect.any(Number) as number });
    expect(json.droplet.md5).toMatch(/^[0-9a-f]{32}$/);

    const posts = world.cf.requestsTo("ccUploader", "/v1/droplet/");
    expect(posts).toHaveLength(1);
    expect(posts[0]?.bodyMd5).toBe(json.droplet.md5);
    expect(posts[0]?.headers["content-md5"]).toBe(base64OfHex(json.droplet.md5));
    expect(world.cf.uploadedDroplets().map((d) => d.md5)).toEqual([json.droplet.md5]);
    expect(world.cf.uploadedBuildArtifacts().map((c) => c.md5)).toEqual([
      json.build_artifacts_cache.md5,
    ]);
    for (const line of ["Downloading app package...", "Staging...", "Uploading complete"]) {
      expect(run.stderr).toContain(line);
    }
    expectNoSecrets(run, urlSecrets(world.task, { signatures: true }));
  });

  it("removes the staging container while the last uploads are still being sent", async () => {
    const e2e = current();
    const world = await e2e.world();
    // The droplet's upload is held: the container has nothing left to do meanwhile.
    world.cf.inject(
      { server: "ccUploader", path: "/v1/droplet/" },
      faults.slow({ delayMs: 4_000 }),
    );
    const running = e2e.startRestage([world.taskFile, "--json", "--no-image"]);
    let ended = false;
    void running.result.finally(() => (ended = true));
    while (world.cf.requestsTo("ccUploader", "/v1/droplet/").length === 0) await sleep(50);
    while ((await e2e.newContainers()).length > 0 && !ended) await sleep(50);
    expect(ended).toBe(false);
    const run = await running.result;
    expectExit(run, 0);
    const json = JSON.parse(run.stdout) as RestageJson;
    // The result file was read before the container went.
    expect(json.result.process_types.web).toContain("httpd");
    expect(json.droplet.uploaded).toBe(true);
  });

  it("revalidates cached dependencies on a second run and round-trips the build cache", async () => {
    const e2e = current();
    const world = await e2e.world();
    const first = await e2e.restage([world.taskFile, "--json"]);
    expectExit(first, 0);
    const firstCache = (JSON.parse(first.stdout) as RestageJson).build_artifacts_cache;
    const seen = world.cf.requests.length;

    const second = await e2e.restage([world.taskFile]);
    expectExit(second, 0);
    const requests = world.cf.requests.slice(seen);
    // Lifecycle and both buildpacks: revalidated (304), never sent again (no 200).
    const cached = requests.filter(
      (r) => r.path.startsWith("/v1/static/") || r.path.startsWith("/read/cc-buildpacks/"),
    );
    expect(new Set(cached.map((r) => r.status))).toEqual(new Set([304]));
    expect(new Set(cached.map((r) => r.path)).size).toBe(3);
    expect(world.cf.count304("blobstore")).toBe(2);
    expect(world.cf.count304("fileServer")).toBeGreaterThanOrEqual(1);
    const packages = requests.filter((r) => r.path.startsWith("/read/cc-packages/"));
    expect(packages.map((r) => r.status)).toEqual([200]);
    const cacheGets = requests.filter((r) => r.path.endsWith("/download"));
    expect(cacheGets.map((r) => r.status)).toEqual([200]);
    // The cache the first run uploaded is what the second run downloads and the buildpack sees.
    expect(firstCache.uploaded).toBe(true);
    expect(second.stderr).toContain(`Downloaded build artifacts cache (${firstCache.size}B)`);
    expect(second.stderr).toContain("Build artifacts cache: warm (builds so far: 1)");
    expect(world.cf.uploadedDroplets()).toHaveLength(2);
  });

  it("runs the task Cloud Controller builds today (checksums, XXH64 dirs, timeout_ms)", async () => {
    const e2e = current();
    const world = await e2e.world({ style: "cc-2024" });
    const run = await e2e.restageFromLog(world);
    expectExit(run, 0);
    const result = JSON.parse(run.stdout) as { process_types: Record<string, string> };
    expect(result.process_types.web).toContain("httpd");
    expect(run.stderr).not.toContain("Staging...");
    expect(world.cf.uploadedDroplets().map((d) => d.endpoint)).toEqual([
      `/internal/v4/droplets/${world.stagingGuid}/upload`,
    ]);
    expect(world.cf.uploadedBuildArtifacts()).toHaveLength(1);
  });

  it("accepts cfdot's task output", async () => {
    const e2e = current();
    const world = await e2e.world();
    const cfdot = {
      task_guid: world.stagingGuid,
      domain: "cf-app-staging",
      created_at: Date.now() * 1e6,
      updated_at: Date.now() * 1e6,
      state: "RUNNING",
      cell_id: "cell-1",
      ...world.task,
      failed: false,
      failure_reason: "",
      result: "",
    };
    const file = join(e2e.dir, "cfdot-task.json");
    await writeFile(file, JSON.stringify(cfdot, null, 2));
    const run = await e2e.restage([file]);
    expectExit(run, 0);
    expect(world.cf.uploadedDroplets()).toHaveLength(1);
  });

  it("--no-upload keeps a droplet in --output-dir and uploads nothing", async () => {
    const e2e = current();
    const world = await e2e.world();
    const out = join(e2e.dir, "out");
    const run = await e2e.restage([world.taskFile, "--no-upload", "--output-dir", out, "--json"]);
    expectExit(run, 0);
    expect(world.cf.requestsTo("ccUploader")).toEqual([]);
    expect(world.cf.requestsTo("cloudController")).toEqual([]);
    expect(run.stderr).toMatch(/^.*Skipped uploading droplet \(.+\): --no-upload$/m);
    const json = JSON.parse(run.stdout) as RestageJson;
    expect(json.droplet).toMatchObject({ uploaded: false, path: join(out, "droplet.tgz") });
    expect(json.build_artifacts_cache.uploaded).toBe(false);
    const entries = await tarEntryNames(join(out, "droplet.tgz"));
    expect(entries).toContain("./app/");
    expect(entries).toContain("./staging_info.yml");
  });

  it("stages an app of many files, each one in the droplet, without a warning from Node", async () => {
    const e2e = current();
    const world = await e2e.world({ app: "static-site" });
    const out = join(e2e.dir, "out");
    const run = await e2e.restage([world.taskFile, "--no-upload", "--output-dir", out]);
    // expectExit also fails on a Node warning: 31 zip entries once printed a leak warning.
    expectExit(run, 0);
    const entries = await tarEntryNames(join(out, "droplet.tgz"));
    const pages = entries.filter((name) => /^\.\/app\/public\/pages\/page-\d+\.html$/.test(name));
    expect(pages).toHaveLength(30);
    expect(entries).toContain("./app/public/index.html");
  });

  it("--dry-run prints the plan and touches neither the network nor Docker", async () => {
    const e2e = current();
    const world = await e2e.world();
    const run = await e2e.restage([world.taskFile, "--dry-run"]);
    expectExit(run, 0);
    expect(run.stdout).toContain("restager/cflinuxfs4:latest");
    expect(run.stdout).toContain("run /tmp/lifecycle/builder");
    expect(world.cf.requests).toEqual([]);
    expect(await e2e.newContainers()).toEqual([]);
    expectNoSecrets(run, urlSecrets(world.task, { signatures: true }));
  });
});
