import { createHash, randomBytes } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeCf } from "../../../kit/fake-cf/fake-cf.js";
import { ScratchDir } from "../../../kit/fake-cf/scratch-dir.js";
import { buildStagingTask, type StagingTaskOptions } from "../../../kit/fake-cf/staging-task.js";

const APP = "273b4ea1-c0b9-4a7c-bd3b-5275150cad19";
const STAGING = `${APP}-7617e252827a4676a1fa71ae123ded3b`;
const KEY = "ba031dee-c426-4a5a-b34d-9bd25b959f6b_8b683c2237056089dea24a2a4d70606e8a4a67cf";

type Json = Record<string, unknown>;

/** Every action of `kind` in the tree, depth first. */
function actionsOf(node: unknown, kind: string): Json[] {
  if (typeof node !== "object" || node === null) return [];
  const own = kind in node ? [(node as Json)[kind] as Json] : [];
  return [...own, ...Object.values(node).flatMap((child) => actionsOf(child, kind))];
}

describe("staging task builder", () => {
  let cf: FakeCf;
  let scratch: ScratchDir;
  let options: StagingTaskOptions;
  const appZip = randomBytes(5000);

  beforeEach(async () => {
    cf = await FakeCf.start({ bindHost: "127.0.0.1", advertiseHost: "127.0.0.1" });
    scratch = await ScratchDir.create();
    await cf.fileServer.add(
      "buildpack_app_lifecycle/buildpack_app_lifecycle.tgz",
      await scratch.file("lc.tgz", "lifecycle"),
    );
    const pkg = await cf.blobstore.add(
      `cc-packages/27/3b/${APP}`,
      await scratch.file("app.zip", appZip),
    );
    const bp = await cf.blobstore.add(
      `cc-buildpacks/ba/03/${KEY}`,
      await scratch.file("bp.zip", "buildpack"),
    );
    options = {
      endpoints: cf.endpoints(),
      appGuid: APP,
      appName: "node-env",
      stagingGuid: STAGING,
      appPackageUrl: pkg.signedUrl(),
      appPackageSha256: pkg.sha256,
      buildpacks: [
        {
          name: "staticfile_buildpack",
          key: KEY,
          url: bp.signedUrl(),
          dirName: createHash("md5").update(KEY).digest("hex"),
          sha256: bp.sha256,
        },
      ],
      buildArtifactsCacheUrl: cf.blobstore.buildCacheUrl(APP),
      env: [{ name: "FOO", value: "bar" }],
    };
  });
  afterEach(async () => {
    await cf.close();
    await scratch[Symbol.asyncDispose]();
  });

  it("builds the stager-2016 tree (docs/diego.md §2.3)", () => {
    const task = buildStagingTask(options);
    const timeout = (task.action as Json).timeout as Json;
    expect(timeout.timeout).toBe(900_000_000_000);
    const steps = ((timeout.action as Json).serial as Json).actions as Json[];
    expect(steps.map((s) => Object.keys(s)[0])).toEqual([
      "download",
      "try",
      "emit_progress",
      "emit_progress",
    ]);
    const [builder] = actionsOf(task, "run");
    expect(builder?.args).toEqual([
      "-buildArtifactsCacheDir=/tmp/cache",
      "-buildDir=/tmp/app",
      `-buildpackOrder=${KEY}`,
      "-buildpacksDir=/tmp/buildpacks",
      "-outputBuildArtifactsCache=/tmp/output-cache",
      "-outputDroplet=/tmp/droplet",
      "-outputMetadata=/tmp/result.json",
      "-skipCertVerify=false",
      "-skipDetect=false",
    ]);
  });

  it("gives the stager-2016 builder CC's env and the cached dependencies", () => {
    const task = buildStagingTask(options);
    const env = actionsOf(task, "run")[0]?.env as { name: string; value: string }[];
    expect(env.map((e) => e.name)).toEqual([
      "VCAP_APPLICATION",
      "MEMORY_LIMIT",
      "VCAP_SERVICES",
      "FOO",
      "CF_STACK",
    ]);
    expect(JSON.parse(env[0]?.value ?? "")).toMatchObject({
      name: "node-env",
      application_id: APP,
    });
    expect(task.cached_dependencies).toMatchObject([
      { to: "/tmp/lifecycle", cache_key: "buildpack-cflinuxfs4-lifecycle" },
      {
        name: "staticfile_buildpack",
        to: "/tmp/buildpacks/588c1402935aa679c160b49b085f54b1",
        cache_key: KEY,
      },
    ]);
    expect(task.completion_callback_url).toBe(
      `${cf.urlFor("stager")}/v1/staging/${STAGING}/completed`,
    );
    expect(JSON.parse(task.annotation as string)).toMatchObject({ lifecycle: "buildpack" });
  });

  it("puts the url-encoded, basic-auth CC URIs into the cc-uploader URLs", () => {
    const [droplet, cache] = actionsOf(buildStagingTask(options), "upload");
    const dropletUrl = new URL(droplet?.to as string);
    expect(dropletUrl.pathname).toBe(`/v1/droplet/${APP}`);
    expect(droplet?.to).toContain(
      "cc-droplet-upload-uri=http%3A%2F%2Finternal_user%3Ainternal_password%40",
    );
    expect(new URL(dropletUrl.searchParams.get("cc-droplet-upload-uri") ?? "").pathname).toBe(
      `/staging/droplets/${APP}/upload`,
    );
    expect(dropletUrl.searchParams.get("timeout")).toBe("900");
    expect(new URL(cache?.to as string).searchParams.get("cc-build-artifacts-upload-uri")).toMatch(
      /\/staging\/buildpack_cache\/.+\/upload$/,
    );
  });

  it("builds the cc-2024 tree (docs/diego.md §2.4)", () => {
    const task = buildStagingTask({
      ...options,
      style: "cc-2024",
      stagingGuid: "build-guid",
      skipDetect: true,
      buildArtifactsCacheSha256: "ab".repeat(32),
    });
    const timeout = (task.action as Json).timeout as Json;
    expect(timeout.timeout_ms).toBe(900_000);
    const steps = ((timeout.action as Json).serial as Json).actions as Json[];
    expect(steps.map((s) => Object.keys(s)[0])).toEqual(["parallel", "run", "emit_progress"]);
    const [pkg, cache] = actionsOf(task, "download");
    expect(pkg).toMatchObject({
      checksum_algorithm: "sha256",
      checksum_value: options.appPackageSha256,
    });
    expect(cache).toMatchObject({ to: "/tmp/cache", checksum_value: "ab".repeat(32) });
    expect(actionsOf(task, "try")).toHaveLength(1);
    const [droplet, buildCache] = actionsOf(task, "upload");
    expect(new URL(droplet?.to as string).searchParams.get("cc-droplet-upload-uri")).toBe(
      `${cf.urlFor("cloudController")}/internal/v4/droplets/build-guid/upload`,
    );
    expect(new URL(buildCache?.to as string).pathname).toBe("/v1/build_artifacts/build-guid");
    expect(actionsOf(task, "run")[0]?.args).toContain("-skipDetect=true");
    expect(task.completion_callback_url).toBe(
      `${cf.urlFor("cloudController")}/internal/v3/staging/build-guid/build_completed?start=false`,
    );
    expect((task.cached_dependencies as Json[])[1]).toMatchObject({ checksum_algorithm: "sha256" });
    expect(task).not.toHaveProperty("annotation");
  });

  it("points at URLs the fake really serves, downloads and uploads alike", async () => {
    for (const style of ["stager-2016", "cc-2024"] as const) {
      const task = buildStagingTask({ ...options, style });
      const [appPackage] = actionsOf(task, "download");
      const fetched = await fetch(appPackage?.from as string);
      expect(Buffer.from(await fetched.arrayBuffer()).equals(appZip)).toBe(true);
      for (const dependency of task.cached_dependencies as Json[]) {
        expect((await fetch(dependency.from as string)).status).toBe(200);
      }
      for (const upload of actionsOf(task, "upload")) {
        const body = randomBytes(1000);
        const headers = {
          "Content-Type": "application/octet-stream",
          "Content-MD5": createHash("md5").update(body).digest("base64"),
        };
        const res = await fetch(upload.to as string, { method: "POST", body, headers });
        expect(res.status).toBe(upload.artifact === "droplet" ? 201 : 200);
      }
    }
    expect(cf.uploadedDroplets().map((d) => d.guid)).toEqual([APP, STAGING]);
    expect(cf.uploadedBuildArtifacts().map((d) => d.stack)).toEqual([undefined, "cflinuxfs4"]);
  });
});
