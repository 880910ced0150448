import { mkdtemp, readFile, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TarArchives } from "../../../src/archive/tar-archives.js";
import type { IdentityIssuer } from "../../../src/identity/instance-identity.js";
import { InstanceCredentials } from "../../../src/restage/instance-credentials.js";
import { FakeContainerRuntime } from "../../kit/fake-container-runtime.js";

const issuer: IdentityIssuer = {
  issue: (request) =>
    Promise.resolve({
      certPem: `CERT for ${request.containerGuid} at ${request.containerIp}\n`,
      keyPem: "KEY\n",
      notAfter: new Date(Date.now() + 86_400_000),
    }),
};

const logger = { debug: () => undefined, info: () => undefined, warn: () => undefined };

let dir = "";
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "restager-identity-volume-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function runtimeWithVolumesAt(mountpoint: string | undefined): FakeContainerRuntime {
  const runtime = new FakeContainerRuntime();
  runtime.volumes.create = (name, labels) =>
    Promise.resolve({ name, labels, createdAt: new Date(), mountpoint });
  return runtime;
}

async function finish(runtime: FakeContainerRuntime): Promise<void> {
  const context = {
    runtime,
    archives: new TarArchives(),
    identities: issuer,
    image: "stack",
    labels: {},
    logger,
  };
  const signal = new AbortController().signal;
  const credentials = await InstanceCredentials.prepare(context, signal);
  const identity = { containerGuid: "g-1", organizationalUnits: ["app:a"] };
  await credentials.finish(runtime.container, identity, signal);
}

describe("the staging container's instance credentials", () => {
  it("go straight into the volume's directory when it is on this host and writable", async () => {
    const runtime = runtimeWithVolumesAt(dir);
    await finish(runtime);
    expect((await readdir(dir)).sort()).toEqual(["instance.crt", "instance.key"]);
    expect(await readFile(join(dir, "instance.crt"), "utf8")).toMatch(/^CERT for g-1 at /);
    expect((await stat(join(dir, "instance.key"))).mode & 0o777).toBe(0o644);
    // No fill container, no archive through the engine.
    expect(runtime.created).toEqual([]);
    expect(runtime.container.putArchives).toEqual([]);
  });

  it("go through a fill container when the engine keeps the volume elsewhere", async () => {
    const runtime = runtimeWithVolumesAt("/var/lib/docker/volumes/not-on-this-host/_data");
    await finish(runtime);
    expect(runtime.created.map((spec) => spec.labels["io.restager.kind"])).toEqual([
      "dependency-fill",
    ]);
    expect(runtime.container.putArchives.map((put) => put.entries.map((e) => e.path))).toEqual([
      ["restager-fill/instance.crt", "restager-fill/instance.key"],
    ]);
  });
});
