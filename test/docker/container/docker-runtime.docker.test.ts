import { randomUUID } from "node:crypto";
import Docker from "dockerode";
import { afterEach, describe, expect, it } from "vitest";
import { CancelledError, ExitCode, UnavailableError } from "../../../src/errors.js";
import { DockerRuntime } from "../../../src/container/docker-runtime.js";
import { ImageMissingError } from "../../../src/container/image-missing-error.js";

const image = "restager/stack:bookworm";
const testLabel = "io.restager.test-run";
const runId = `runtime-${randomUUID()}`;
const runtime = new DockerRuntime();
const docker = new Docker();
const labels = { [testLabel]: runId };
const roleLabel = `io.restager.test-role-${runId}`;

afterEach(async () => {
  await runtime.removeLabelled(testLabel, runId);
  expect(await runtime.findContainers(testLabel, runId)).toEqual([]);
});

describe("DockerRuntime", () => {
  it("answers a ping from the running engine", async () => {
    await expect(runtime.ping()).resolves.toBeUndefined();
  });

  it("says where it looked and what to do when the engine is unreachable", async () => {
    const nowhere = new DockerRuntime({ env: { DOCKER_HOST: "unix:///nonexistent.sock" } });
    const failure = nowhere.ping();
    await expect(failure).rejects.toBeInstanceOf(UnavailableError);
    await expect(failure).rejects.toMatchObject({
      message: "Cannot reach the Docker engine at unix:///nonexistent.sock",
      hint: "Is Docker running? Start it with 'bash scripts/setup-machine.sh' or set DOCKER_HOST",
      exitCode: ExitCode.unavailable,
    });
  });

  it("maps a refused TCP connection to UnavailableError too", async () => {
    const closed = new DockerRuntime({ env: { DOCKER_HOST: "tcp://127.0.0.1:1" } });
    await expect(closed.ping()).rejects.toMatchObject({
      message: "Cannot reach the Docker engine at tcp://127.0.0.1:1",
    });
    await expect(closed.imageExists(image)).rejects.toBeInstanceOf(UnavailableError);
  });

  it("knows which images exist", async () => {
    expect(await runtime.imageExists(image)).toBe(true);
    expect(await runtime.imageExists("restager/no-such-image:never")).toBe(false);
  });

  it("names a missing image, with the way to get it", async () => {
    const failure = runtime.createIdle({ image: "restager/no-such-image:never", env: [], labels });
    await expect(failure).rejects.toBeInstanceOf(ImageMissingError);
    await expect(failure).rejects.toMatchObject({
      message: "The Docker image 'restager/no-such-image:never' does not exist in the engine",
      exitCode: ExitCode.noInput,
      hint: expect.stringContaining("bash scripts/setup-machine.sh") as unknown,
    });
  });

  it("does nothing when cancelled before creating", async () => {
    const controller = new AbortController();
    controller.abort(new CancelledError());
    await expect(
      runtime.createIdle({ image, env: [], labels }, controller.signal),
    ).rejects.toBeInstanceOf(CancelledError);
  });

  it("removes a container whose creation was cancelled midway", async () => {
    const controller = new AbortController();
    const creating = runtime.createIdle({ image, env: [], labels }, controller.signal);
    setTimeout(() => controller.abort(new CancelledError()), 5);
    await expect(creating).rejects.toBeInstanceOf(CancelledError);
    expect(await runtime.findContainers(testLabel, runId)).toEqual([]);
  });

  it("joins the requested network", async () => {
    const isolated = await runtime.createIdle({ image, env: [], labels, network: "none" });
    const info = await docker.getContainer(isolated.id).inspect();
    expect(info.HostConfig.NetworkMode).toBe("none");
  });

  it("finds and removes labelled containers, stopped ones included", async () => {
    const kept = await runtime.createIdle({
      image,
      env: [],
      labels: { ...labels, [roleLabel]: "a" },
    });
    const stopped = await runtime.createIdle({ image, env: [], labels });
    await docker.getContainer(stopped.id).stop({ t: 1 });
    const found = await runtime.findContainers(testLabel, runId);
    expect(found.map((c) => c.id).sort()).toEqual([kept.id, stopped.id].sort());
    expect(found.every((c) => c.labels["io.restager.managed"] === "true")).toBe(true);
    expect(await runtime.findContainers(roleLabel)).toEqual([
      expect.objectContaining({ id: kept.id }) as unknown,
    ]);
    expect(await runtime.removeLabelled(testLabel, runId)).toBe(2);
    expect(await runtime.findContainers(testLabel, runId)).toEqual([]);
    expect(await runtime.removeLabelled(testLabel, runId)).toBe(0);
  });
});
