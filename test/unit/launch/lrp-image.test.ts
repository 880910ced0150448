import { describe, expect, it } from "vitest";
import { appIdentity } from "../../../src/diego/app-identity.js";
import { NoInputError, UnavailableError } from "../../../src/errors.js";
import type { DownloadRequest } from "../../../src/http/ports.js";
import { FakeAppRuntime } from "../../kit/fake-app-runtime.js";
import { dropletSource, lrpLifecycleSource } from "../../../src/launch/lrp-artifacts.js";
import type { DockerAppInput } from "../../../src/launch/docker-lrp-image.js";
import {
  resolveLrpImage,
  type ImageBuildInput,
  type LrpImageDeps,
} from "../../../src/launch/lrp-image.js";
import { lrpFixture } from "../../kit/fixture-files.js";

const lrp = lrpFixture("lrp-cc-2024.json");
const sha = "c6d1e654517dfae39474507bb0eaea2af337444d7975352204ac1390bc789e97";
const appGuid = "273b4ea1-c0b9-4a7c-bd3b-5275150cad19";

const image = (ref: string, labels: Record<string, string>, createdMs = 1) => ({
  id: `sha256:${ref}`,
  ref,
  createdMs,
  labels: { "io.restager.app-guid": appGuid, ...labels },
});

/** Records downloads and builds; bodies get `sha256` unless the URL says otherwise. */
function world(images: ReturnType<typeof image>[], sha256 = sha) {
  const runtime = new FakeAppRuntime();
  runtime.images = images;
  const downloads: DownloadRequest[] = [];
  const builds: ImageBuildInput[] = [];
  const dockerApps: DockerAppInput[] = [];
  const released: string[] = [];
  const deps: LrpImageDeps = {
    runtime,
    downloader: {
      download: (request) => {
        downloads.push(request);
        const path = `/cache/${downloads.length}`;
        const release = () => Promise.resolve(void released.push(path));
        return Promise.resolve({
          path,
          sizeBytes: 1,
          fromCache: false,
          sha256Hex: sha256,
          release,
        });
      },
    },
    build: (input) => {
      builds.push(input);
      return Promise.resolve("restager/node-env:built");
    },
    dockerApp: (input) => {
      dockerApps.push(input);
      return Promise.resolve({ ref: "restager/lifecycle-base:abc", warnings: [] });
    },
  };
  return { deps, downloads, builds, dockerApps, released };
}

describe("what an LRP runs", () => {
  it("reads the droplet from setup and the lifecycle from cached_dependencies", () => {
    expect(dropletSource(lrp)).toMatchObject({
      url: expect.stringContaining(`/internal/v4/droplets/${appGuid}/${sha}/download`) as unknown,
      cacheKey: expect.stringMatching(/^droplets-/) as unknown,
      checksum: { algorithm: "sha256", value: sha },
    });
    expect(lrpLifecycleSource(lrp)?.url).toMatch(/buildpack_app_lifecycle/);
  });

  it("reads an EXCLUSIVE image layer as the droplet and a SHARED one as the lifecycle", () => {
    const layered = lrpFixture("lrp-cc-2024.json", (json) => {
      delete json.setup;
      json.cached_dependencies = null;
      json.image_layers = [
        {
          name: "buildpack-lifecycle",
          url: "https://file-server/v1/static/buildpack_app_lifecycle/lifecycle.tgz",
          destination_path: "/tmp/lifecycle",
          layer_type: "SHARED",
          media_type: "TGZ",
        },
        {
          name: "droplet",
          url: "https://cc/droplet",
          destination_path: "/home/vcap",
          layer_type: "EXCLUSIVE",
          media_type: "TGZ",
          digest_algorithm: "SHA256",
          digest_value: sha,
        },
      ];
    });
    expect(dropletSource(layered)).toEqual({
      url: "https://cc/droplet",
      cacheKey: `sha256:${sha}`,
      checksum: { algorithm: "sha256", value: sha },
    });
    expect(lrpLifecycleSource(layered)?.url).toBe(
      "https://file-server/v1/static/buildpack_app_lifecycle/lifecycle.tgz",
    );
  });

  it("reuses a local image whose droplet sha256 is the LRP's checksum, without a download", async () => {
    const { deps, downloads } = world([
      image("restager/node-env:new-other", { "io.restager.droplet-sha256": "ff" }, 9),
      image("restager/node-env:mine", { "io.restager.droplet-sha256": sha }, 1),
    ]);
    const found = await resolveLrpImage(lrp, deps);
    expect(found).toMatchObject({ ref: "restager/node-env:mine", how: "local", warnings: [] });
    expect(downloads).toEqual([]);
  });

  it("downloads the droplet and lifecycle and builds the image when none matches", async () => {
    const { deps, downloads, builds, released } = world([
      image("restager/node-env:latest", { "io.restager.droplet-sha256": "ff" }),
    ]);
    const built = await resolveLrpImage(lrp, deps);
    expect(built).toMatchObject({ ref: "restager/node-env:built", how: "built" });
    expect(downloads.map((d) => [d.cacheKey, d.checksum?.value])).toEqual([
      [dropletSource(lrp)?.cacheKey, sha],
      [lrpLifecycleSource(lrp)?.cacheKey, undefined],
    ]);
    expect(builds).toEqual([
      {
        dropletPath: "/cache/1",
        lifecyclePath: "/cache/2",
        app: { name: "node-env", guid: appGuid },
        env: ["LANG=en_US.UTF-8"],
      },
    ]);
    expect(released.sort()).toEqual(["/cache/1", "/cache/2"]);
  });

  it("without a checksum, matches the downloaded droplet's sha256 to an image", async () => {
    const unverified = lrpFixture("lrp-bbs-2016.json");
    expect(dropletSource(unverified)?.checksum).toBeUndefined();
    const { deps, downloads, builds } = world([]);
    const runtime = new FakeAppRuntime();
    runtime.images = [image("restager/x:mine", { "io.restager.droplet-sha256": "abc" })];
    const found = await resolveLrpImage(unverified, {
      ...deps,
      runtime,
      downloader: {
        download: (request) => {
          downloads.push(request);
          const release = () => Promise.resolve();
          return Promise.resolve({
            path: "/d",
            sizeBytes: 1,
            fromCache: true,
            sha256Hex: "abc",
            release,
          });
        },
      },
    });
    expect(found).toMatchObject({ ref: "restager/x:mine", how: "local" });
    expect(downloads).toHaveLength(1);
    expect(builds).toEqual([]);
  });

  it("without a checksum and an unreachable droplet, falls back to the app's newest image with a warning", async () => {
    const unverified = lrpFixture("lrp-bbs-2016.json");
    const runtime = new FakeAppRuntime();
    const guid = appIdentity(unverified).guid;
    runtime.images = [
      {
        id: "sha256:n",
        ref: "restager/n:latest",
        createdMs: 1,
        labels: { "io.restager.app-guid": guid },
      },
    ];
    const found = await resolveLrpImage(unverified, {
      runtime,
      downloader: { download: () => Promise.reject(new UnavailableError("Cannot reach cc")) },
      build: () => Promise.reject(new Error("no build")),
      dockerApp: () => Promise.reject(new Error("not a docker app")),
    });
    expect(found.ref).toBe("restager/n:latest");
    expect(found.warnings.join()).toMatch(/could not be downloaded \(Cannot reach cc\)/);
  });

  it("with a checksum, a failed droplet download is the error", async () => {
    const { deps } = world([]);
    deps.downloader = { download: () => Promise.reject(new UnavailableError("Cannot reach cc")) };
    await expect(resolveLrpImage(lrp, deps)).rejects.toThrow("Cannot reach cc");
  });

  it("--image overrides, with a warning when its droplet is not the LRP's", async () => {
    const { deps, downloads } = world([
      image("mine:1", { "io.restager.droplet-sha256": "0123456789abcdef" }),
      image("same:1", { "io.restager.droplet-sha256": sha }),
    ]);
    const other = await resolveLrpImage(lrp, deps, { explicit: "mine:1" });
    expect(other.ref).toBe("mine:1");
    expect(other.warnings).toEqual([
      `--image mine:1 holds droplet sha256 0123456789ab, not the LRP's droplet sha256 ${sha.slice(0, 12)}: running it anyway`,
    ]);
    expect((await resolveLrpImage(lrp, deps, { explicit: "same:1" })).warnings).toEqual([]);
    await expect(resolveLrpImage(lrp, deps, { explicit: "missing" })).rejects.toBeInstanceOf(
      NoInputError,
    );
    expect(downloads).toEqual([]);
  });
});

describe("what a Docker-image app's LRP runs", () => {
  const docker = lrpFixture("lrp-cc-docker.json");

  it("pulls the rootfs's image and adds the docker lifecycle of cached_dependencies", async () => {
    const { deps, downloads, builds, dockerApps, released } = world([]);
    const found = await resolveLrpImage(docker, deps);
    expect(downloads.map((d) => [d.url, d.cacheKey])).toEqual([
      [
        "https://file-server.service.cf.internal:8447/v1/static/docker_app_lifecycle/docker_app_lifecycle.tgz",
        "docker-lifecycle",
      ],
    ]);
    expect(dockerApps).toEqual([
      {
        reference: "registry.example.com/acme/node-env:1.4.2",
        pull: true,
        lifecyclePath: "/cache/1",
      },
    ]);
    expect(builds).toEqual([]);
    expect(released).toEqual(["/cache/1"]);
    expect(found).toMatchObject({
      ref: "restager/lifecycle-base:abc",
      how: "pulled",
      appImage: "registry.example.com/acme/node-env:1.4.2",
    });
  });

  it("with --image, adds the lifecycle to that local image without pulling", async () => {
    const { deps, dockerApps } = world([]);
    const found = await resolveLrpImage(docker, deps, { explicit: "mine/app:1" });
    expect(dockerApps).toEqual([
      { reference: "mine/app:1", pull: false, lifecyclePath: "/cache/1" },
    ]);
    expect(found.how).toBe("explicit");
  });

  it("refuses an LRP that brings no lifecycle (the launcher would be missing)", async () => {
    const bare = lrpFixture("lrp-cc-docker.json", (json) => {
      json.cached_dependencies = [];
    });
    const { deps, dockerApps } = world([]);
    await expect(resolveLrpImage(bare, deps)).rejects.toThrow(NoInputError);
    expect(dockerApps).toEqual([]);
  });

  it.each([
    ["docker:///library/nginx#1.25", "library/nginx:1.25"],
    ["docker:///cloudfoundry/diego-docker-app", "cloudfoundry/diego-docker-app:latest"],
    ["docker://127.0.0.1:5000/restager-test/app#v2", "127.0.0.1:5000/restager-test/app:v2"],
  ])("maps the rootfs %s to %s", async (rootfs, reference) => {
    const { deps, dockerApps } = world([]);
    const lrpOf = lrpFixture("lrp-cc-docker.json", (json) => {
      json.rootfs = rootfs;
    });
    await resolveLrpImage(lrpOf, deps);
    expect(dockerApps[0]?.reference).toBe(reference);
  });
});
