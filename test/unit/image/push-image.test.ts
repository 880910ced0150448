import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type {
  ImageStore,
  PushLayerEvent,
  RegistrySettings,
} from "../../../src/container/image-store.js";
import { checkInsecureRegistry } from "../../../src/image/insecure-registry.js";
import { pushBuiltImage } from "../../../src/image/push-image.js";
import { registryCredentials } from "../../../src/image/registry-auth.js";
import type { ProgressEvent } from "../../../src/core/events.js";

class FakeStore {
  readonly tags: [string, string][] = [];
  readonly pushes: { ref: string; auth: unknown }[] = [];
  constructor(private readonly events: PushLayerEvent[]) {}

  tag(source: string, target: string): Promise<void> {
    this.tags.push([source, target]);
    return Promise.resolve();
  }

  push(ref: string, options: { auth?: unknown; onLayer?: (event: PushLayerEvent) => void }) {
    this.pushes.push({ ref, auth: options.auth });
    for (const event of this.events) options.onLayer?.(event);
    return Promise.resolve({ digest: "sha256:abc", sizeBytes: 700 });
  }

  registrySettings(): Promise<RegistrySettings> {
    return Promise.resolve({ insecureCidrs: ["127.0.0.0/8"], indexes: {} });
  }
}

describe("pushBuiltImage", () => {
  it("tags every name with the registry, pushes each, and turns layer events into progress", async () => {
    const store = new FakeStore([
      { layer: "aaaaaaaaaaaa", status: "Preparing" },
      { layer: "aaaaaaaaaaaa", status: "Pushing", bytes: 10, totalBytes: 20 },
      { layer: "aaaaaaaaaaaa", status: "Pushed" },
      { layer: "bbbbbbbbbbbb", status: "Layer already exists" },
    ]);
    const events: ProgressEvent[] = [];
    const pushed = await pushBuiltImage(
      {
        id: "sha256:1",
        tags: ["restager/app:abc", "restager/app:latest"],
        registry: "127.0.0.1:5000",
      },
      { images: store as unknown as ImageStore, onProgress: (event) => events.push(event) },
    );
    expect(store.tags).toEqual([
      ["sha256:1", "127.0.0.1:5000/restager/app:abc"],
      ["sha256:1", "127.0.0.1:5000/restager/app:latest"],
    ]);
    expect(store.pushes.map((p) => p.ref)).toEqual([
      "127.0.0.1:5000/restager/app:abc",
      "127.0.0.1:5000/restager/app:latest",
    ]);
    expect(pushed).toEqual({
      refs: ["127.0.0.1:5000/restager/app:abc", "127.0.0.1:5000/restager/app:latest"],
      digest: "sha256:abc",
      repository: "127.0.0.1:5000/restager/app",
      layersPushed: 1,
      layersExisting: 1,
    });
    expect(events.slice(0, 4)).toEqual([
      { kind: "upload-start", artifact: "layer aaaaaaaaaaaa", totalBytes: 20 },
      { kind: "upload-progress", artifact: "layer aaaaaaaaaaaa", bytes: 10, totalBytes: 20 },
      { kind: "upload-done", artifact: "layer aaaaaaaaaaaa", bytes: 0 },
      { kind: "upload-done", artifact: "layer bbbbbbbbbbbb", bytes: 0 },
    ]);
  });

  it("pushes names that already carry a registry as they are", async () => {
    const store = new FakeStore([]);
    await pushBuiltImage(
      { id: "sha256:1", tags: ["localhost:5000/app:v1"] },
      { images: store as unknown as ImageStore },
    );
    expect(store.tags).toEqual([]);
    expect(store.pushes.map((p) => p.ref)).toEqual(["localhost:5000/app:v1"]);
  });

  it("will not push to Docker Hub by accident", async () => {
    const push = pushBuiltImage(
      { id: "sha256:1", tags: ["restager/app:v1"] },
      { images: new FakeStore([]) as unknown as ImageStore },
    );
    await expect(push).rejects.toThrow("--push needs a registry");
  });
});

describe("checkInsecureRegistry", () => {
  const settings: RegistrySettings = {
    insecureCidrs: ["127.0.0.0/8", "10.1.0.0/16"],
    indexes: { "plain.example:5000": { secure: false }, "tls.example": { secure: true } },
  };
  const noDns = (host: string) => Promise.resolve(host === "localhost" ? ["127.0.0.1"] : []);

  it.each(["127.0.0.1:5000", "localhost:5000", "10.1.2.3:5000", "plain.example:5000"])(
    "accepts %s",
    async (registry) => {
      await expect(checkInsecureRegistry(registry, settings, noDns)).resolves.toBeUndefined();
    },
  );

  it.each(["192.0.2.1:5000", "tls.example", "unknown.example:5000"])(
    "refuses %s, naming daemon.json",
    async (registry) => {
      await expect(checkInsecureRegistry(registry, settings, noDns)).rejects.toMatchObject({
        hint: expect.stringContaining(`"insecure-registries": ["${registry}"]`) as unknown,
      });
    },
  );
});

describe("registryCredentials", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "restager-auth-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function withConfig(config: unknown) {
    await writeFile(join(dir, "config.json"), JSON.stringify(config));
    return { DOCKER_CONFIG: dir };
  }

  it("takes --registry-user and the password read from stdin", async () => {
    const resolved = await registryCredentials({
      registry: "r:5000",
      user: "u",
      password: "p",
      env: {},
    });
    expect(resolved).toEqual({
      source: "flags",
      auth: { username: "u", password: "p", serveraddress: "r:5000" },
    });
    await expect(registryCredentials({ registry: "r", user: "u", env: {} })).rejects.toThrow(
      /go together/,
    );
  });

  it("reads auths from the Docker config, whatever the key's scheme", async () => {
    const env = await withConfig({
      auths: { "https://r:5000/v1/": { auth: Buffer.from("me:pw:x").toString("base64") } },
    });
    expect(await registryCredentials({ registry: "r:5000", env })).toEqual({
      source: "docker-config",
      auth: { serveraddress: "r:5000", username: "me", password: "pw:x" },
    });
  });

  it("notes a credential helper it does not run, and goes without credentials", async () => {
    const env = await withConfig({ credsStore: "desktop" });
    const resolved = await registryCredentials({ registry: "r:5000", env });
    expect(resolved.source).toBe("none");
    expect(resolved.note).toMatch(/'desktop' helper/);
  });

  it("goes without credentials when there is no Docker config", async () => {
    expect(
      await registryCredentials({ registry: "r", env: { DOCKER_CONFIG: join(dir, "none") } }),
    ).toEqual({ source: "none" });
  });
});
