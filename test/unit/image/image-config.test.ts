import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { ImageInfo } from "../../../src/container/image-store.js";
import { buildImageConfig, imageEnv, type ConfigInput } from "../../../src/image/image-config.js";
import type { ImageMetadata } from "../../../src/image/image-metadata.js";
import { defaultImageTime } from "../../../src/image/image-time.js";

const base: ImageInfo = {
  id: "sha256:base",
  repoTags: ["restager/cflinuxfs4:latest"],
  repoDigests: [],
  os: "linux",
  architecture: "amd64",
  env: ["PATH=/usr/bin:/bin", "PORT=1"],
  labels: { "io.restager.stack-recipe": "abc", "io.restager.app-name": "base's" },
  user: "",
  workingDir: "",
  entrypoint: [],
  cmd: ["/bin/bash"],
  exposedPorts: [],
  healthcheck: [],
  diffIds: ["sha256:b1"],
  sizeBytes: 1,
};

const metadata: ImageMetadata = {
  appGuid: "guid",
  appName: "hello",
  taskGuid: "task",
  stack: "cflinuxfs4",
  stackImage: "restager/cflinuxfs4:latest",
  dropletMd5Hex: "d41d8cd98f00b204e9800998ecf8427e",
  dropletSha256Hex: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
  processTypes: { web: "npm start", worker: "node worker.js" },
  buildpacks: [{ name: "nodejs_buildpack", version: "1.8.0", key: "k" }],
};

const input: ConfigInput = {
  base,
  metadata,
  diffIds: ["sha256:b1", "sha256:l", "sha256:d"],
  addedLayers: ["lifecycle", "droplet"],
  time: defaultImageTime,
  env: ["LANG=en_US.UTF-8"],
};

function parse(bytes: Buffer) {
  return JSON.parse(bytes.toString("utf8")) as {
    created: string;
    config: Record<string, unknown> & { Labels: Record<string, string> };
    rootfs: { diff_ids: string[] };
    history: { created_by: string }[];
  };
}

describe("buildImageConfig", () => {
  it("lays the image out as Diego runs a droplet", () => {
    const config = parse(buildImageConfig(input).bytes);
    expect(config.created).toBe("1980-01-01T00:00:01Z");
    expect(config.config).toMatchObject({
      User: "vcap",
      WorkingDir: "/home/vcap",
      Entrypoint: ["/tmp/lifecycle/launcher", "app"],
      Cmd: ["npm start", ""],
      ExposedPorts: { "8080/tcp": {} },
      Env: ["PATH=/usr/bin:/bin", "PORT=8080", "LANG=en_US.UTF-8"],
      Healthcheck: { Test: ["CMD-SHELL", "/tmp/lifecycle/healthcheck -port=${PORT:-8080}"] },
    });
    expect(config.rootfs.diff_ids).toEqual(input.diffIds);
    expect(config.history.map((h) => h.created_by)).toEqual([
      "restager: layer 1/1 of restager/cflinuxfs4:latest",
      "lifecycle",
      "droplet",
    ]);
  });

  it("labels the image, ours over the base's, keys sorted", () => {
    const labels = parse(buildImageConfig({ ...input, labels: { "x.test": "1" } }).bytes).config
      .Labels;
    expect(Object.keys(labels)).toEqual(Object.keys(labels).sort());
    expect(labels).toMatchObject({
      "io.restager.managed": "true",
      "io.restager.app-name": "hello",
      "io.restager.app-guid": "guid",
      "io.restager.task-guid": "task",
      "io.restager.stack": "cflinuxfs4",
      "io.restager.stack-recipe": "abc",
      "io.restager.droplet-md5": metadata.dropletMd5Hex,
      "io.restager.droplet-sha256": metadata.dropletSha256Hex,
      "io.restager.start-command": "npm start",
      "org.opencontainers.image.created": "1980-01-01T00:00:01Z",
      "org.opencontainers.image.title": "hello",
      "x.test": "1",
    });
    expect(JSON.parse(labels["io.restager.buildpacks"] ?? "")).toEqual(metadata.buildpacks);
    expect(JSON.parse(labels["io.restager.process-types"] ?? "")).toEqual(metadata.processTypes);
    expect(labels).not.toHaveProperty("org.opencontainers.image.source");
  });

  it("has the digest of its bytes as id, the same for the same input", () => {
    const first = buildImageConfig(input);
    expect(first.id).toBe(`sha256:${createHash("sha256").update(first.bytes).digest("hex")}`);
    expect(buildImageConfig(structuredClone(input)).id).toBe(first.id);
    expect(buildImageConfig({ ...input, time: new Date(0) }).id).not.toBe(first.id);
  });

  it("replaces same-named base variables", () => {
    expect(imageEnv(["A=1", "B=2", "C"], ["B=3", "D=4"])).toEqual(["A=1", "C", "B=3", "D=4"]);
  });
});
