/**
 * `restage` against a misbehaving or unreachable Cloud Foundry: a transient 5xx, an expired
 * signed URL, a cc-uploader that keeps failing, and platform host names reached with --resolve.
 */
import { access, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DockerImageStore } from "../../src/container/docker-image-store.js";
import { faults } from "../kit/fake-cf/fake-cf.js";
import { useE2eCase } from "../kit/e2e/e2e-case.js";
import { renameHosts } from "../kit/e2e/rename-hosts.js";
import {
  expectExit,
  expectNoSecrets,
  expectNoStackTrace,
  md5OfFile,
  urlSecrets,
} from "../kit/e2e/expectations.js";

const packages = "/read/cc-packages/";
const internalName = "fake.service.cf.internal";

describe("restage over HTTP", () => {
  const current = useE2eCase();

  it("retries the app package download after a 500 and succeeds", async () => {
    const e2e = current();
    const world = await e2e.world();
    world.cf.inject({ server: "blobstore", path: packages }, faults.status(500, 1));
    const run = await e2e.restage([world.taskFile]);
    expectExit(run, 0);
    expect(world.cf.requestsTo("blobstore", packages).map((r) => r.status)).toEqual([500, 200]);
    expect(world.cf.uploadedDroplets()).toHaveLength(1);
  });

  it("exits 77 when a signed URL is refused, asking for a fresh request", async () => {
    const e2e = current();
    const world = await e2e.world();
    world.cf.inject({ server: "blobstore", path: packages }, faults.expired(1));
    const run = await e2e.restage([world.taskFile]);
    expectExit(run, 77);
    expect(run.stderr).toContain("[STG] ERR Downloading app package failed");
    expect(run.stderr).toMatch(/refused the signed URL .*cc-packages.*\(status 403\).*expired/);
    expect(run.stderr).toMatch(/^Hint: Capture a fresh request/m);
    expect(world.cf.requestsTo("blobstore", packages)).toHaveLength(1);
    expect(world.cf.uploadedDroplets()).toEqual([]);
    expectNoSecrets(run, urlSecrets(world.task, { signatures: true }));
    expectNoStackTrace(run);
  });

  it("exits 75 and keeps the droplet on disk when cc-uploader fails every attempt", async () => {
    const e2e = current();
    const world = await e2e.world();
    world.cf.inject({ server: "ccUploader", path: "/v1/droplet/" }, faults.status(500, 10));
    const run = await e2e.restage([world.taskFile]);
    expectExit(run, 75);
    const kept = /^ {2}droplet: .*, md5 ([0-9a-f]{32}), NOT uploaded, kept at (.+)$/m.exec(
      run.stderr,
    );
    expect(kept, run.stderr).not.toBeNull();
    const [, md5, keptPath] = kept as unknown as [string, string, string];
    const path = join(e2e.cwd, keptPath);
    await access(path);
    expect(await md5OfFile(path)).toBe(md5);
    // What staging produced is what every attempt sent.
    const posts = world.cf.requestsTo("ccUploader", "/v1/droplet/");
    // The executor's uploader: 3 attempts, then the task fails with its error.
    expect(posts.map((p) => p.status)).toEqual([500, 500, 500]);
    expect(new Set(posts.map((p) => p.bodyMd5))).toEqual(new Set([md5]));
    expect(run.stderr).toMatch(/^Staging failed: Upload failed: Status code 500$/m);
    expect(run.stderr).toContain("[STG] ERR Failed to upload payload for droplet");
    expect(world.cf.uploadedDroplets()).toEqual([]);
    // No image, and not the droplet's layer either (loaded while the upload was tried).
    expect(await new DockerImageStore().findImages("io.restager.app-guid", world.appGuid)).toEqual(
      [],
    );
    expectNoSecrets(run, urlSecrets(world.task, { signatures: true }));
  });

  it("retries a 4xx upload answer too, as the executor retries every failure", async () => {
    const e2e = current();
    const world = await e2e.world();
    world.cf.inject({ server: "ccUploader", path: "/v1/droplet/" }, faults.status(400, 2));
    const run = await e2e.restage([world.taskFile, "--no-image"]);
    expectExit(run, 0);
    const posts = world.cf.requestsTo("ccUploader", "/v1/droplet/");
    expect(posts.map((p) => p.status)).toEqual([400, 400, 201]);
    expect(world.cf.uploadedDroplets()).toHaveLength(1);
  });

  it("reaches platform host names through --resolve", async () => {
    const e2e = current();
    const world = await e2e.world();
    const task = renameHosts(world.task, world.cf.advertiseHost, internalName);
    const file = join(e2e.dir, "internal-task.json");
    await writeFile(file, JSON.stringify(task, null, 2));

    const unresolved = await e2e.restage([file]);
    expectExit(unresolved, 69);
    expect(unresolved.stderr).toMatch(
      /^ {2}Download failed: could not fetch http:\/\/fake\.service/m,
    );
    expect(unresolved.stderr).toMatch(/^Hint: .*--resolve/m);
    expect(world.cf.requests).toEqual([]);
    expectNoStackTrace(unresolved);

    const resolved = await e2e.restage([
      file,
      "--resolve",
      `${internalName}=${world.cf.advertiseHost}`,
    ]);
    expectExit(resolved, 0);
    expect(world.cf.uploadedDroplets()).toHaveLength(1);
    const direct = world.cf.requests.filter((r) => r.server !== "cloudController");
    expect(direct.map((r) => r.headers.host?.split(":")[0])).toEqual(
      direct.map(() => internalName),
    );
  });
});
