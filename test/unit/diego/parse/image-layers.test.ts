import { describe, expect, it } from "vitest";
import type { ImageLayer } from "../../../../src/diego/common.js";
import { convertImageLayers, readImageLayers } from "../../../../src/diego/parse/image-layers.js";
import { JsonReader } from "../../../../src/diego/parse/json-reader.js";
import { createParseContext } from "../../../../src/diego/parse/parse-context.js";

function read(layers: unknown[]) {
  const ctx = createParseContext();
  const reader = new JsonReader({ image_layers: layers }, "$", ctx.log);
  return {
    layers: readImageLayers(reader, ctx),
    errors: ctx.log.errors,
    warnings: ctx.log.warnings,
  };
}

const sha = "b".repeat(64);
const base = { name: "x", url: "https://fs/x.tgz", destination_path: "/tmp/x" };

describe("readImageLayers", () => {
  it("reads enum names (any case) and protobuf numbers", () => {
    const { layers, errors } = read([
      { ...base, layer_type: "shared", media_type: "TGZ" },
      {
        ...base,
        layer_type: 2,
        media_type: 3,
        digest_algorithm: 1,
        digest_value: sha.toUpperCase(),
      },
    ]);
    expect(errors).toEqual([]);
    expect(layers).toEqual([
      {
        name: "x",
        url: "https://fs/x.tgz",
        destinationPath: "/tmp/x",
        layerType: "SHARED",
        mediaType: "TGZ",
        digest: undefined,
      },
      {
        name: "x",
        url: "https://fs/x.tgz",
        destinationPath: "/tmp/x",
        layerType: "EXCLUSIVE",
        mediaType: "ZIP",
        digest: { algorithm: "sha256", value: sha },
      },
    ]);
  });

  it("validates like BBS, reporting every problem", () => {
    const { errors } = read([
      { name: "a", layer_type: "LAYERED", media_type: "TGZ" },
      { ...base, layer_type: "SHARED", media_type: "TGZ", digest_value: sha },
    ]);
    expect(errors).toEqual([
      { path: "image_layers[0].url", message: "missing" },
      { path: "image_layers[0].destination_path", message: "missing" },
      {
        path: "image_layers[0].layer_type",
        message: 'invalid value "LAYERED"; expected one of SHARED, EXCLUSIVE',
      },
      {
        path: "image_layers[1].digest_algorithm",
        message: "missing (digest_algorithm and digest_value go together)",
      },
    ]);
  });

  it("warns that sha512 digests cannot be verified by Diego's downloader", () => {
    const { layers, warnings } = read([
      {
        ...base,
        layer_type: "SHARED",
        media_type: "TAR",
        digest_algorithm: "SHA512",
        digest_value: "c".repeat(128),
      },
    ]);
    expect(layers[0]?.digest?.algorithm).toBe("sha512");
    expect(warnings[0]?.path).toBe("image_layers[0].digest_algorithm");
  });
});

describe("convertImageLayers", () => {
  const layer = (overrides: Partial<ImageLayer>): ImageLayer => ({
    name: "n",
    url: "https://fs/n.tgz",
    destinationPath: "/tmp/n",
    layerType: "SHARED",
    mediaType: "TGZ",
    ...overrides,
  });

  it("maps SHARED layers to cached dependencies keyed by digest, else by URL", () => {
    const { shared, exclusive } = convertImageLayers(
      [layer({}), layer({ name: "bp", digest: { algorithm: "sha256", value: sha } })],
      "vcap",
    );
    expect(exclusive).toEqual([]);
    expect(shared).toEqual([
      {
        name: "n",
        from: "https://fs/n.tgz",
        to: "/tmp/n",
        cacheKey: "https://fs/n.tgz",
        logSource: "",
        checksum: undefined,
      },
      {
        name: "bp",
        from: "https://fs/n.tgz",
        to: "/tmp/n",
        cacheKey: `sha256:${sha}`,
        logSource: "",
        checksum: { algorithm: "sha256", value: sha },
      },
    ]);
  });

  it("maps EXCLUSIVE layers to downloads as the legacy download user; sha512 is not a checksum", () => {
    const digest = { algorithm: "sha512" as const, value: "c".repeat(128) };
    const { exclusive } = convertImageLayers([layer({ layerType: "EXCLUSIVE", digest })], "cfuser");
    expect(exclusive).toEqual([
      {
        kind: "download",
        artifact: "n",
        from: "https://fs/n.tgz",
        to: "/tmp/n",
        cacheKey: `sha512:${digest.value}`,
        user: "cfuser",
        checksum: undefined,
      },
    ]);
  });
});
