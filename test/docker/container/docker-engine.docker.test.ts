import { describe, expect, it } from "vitest";
import { DockerEngine } from "../../../src/container/docker-engine.js";

describe("DockerEngine", () => {
  it("hands out every client over one connection, made once", async () => {
    const engine = new DockerEngine();
    expect(engine.containers).toBe(engine.containers);
    expect(engine.apps).toBe(engine.apps);
    expect(engine.images).toBe(engine.images);
    expect(engine.swarm).toBe(engine.swarm);
    expect(engine.volumes).toBe(engine.containers.volumes);
    expect(engine.apps.where).toBe(engine.where);
    expect(engine.images.where).toBe(engine.where);
    await engine.containers.ping();
    await engine.apps.ping();
    expect(await engine.images.inspect("restager-no-such-image:never")).toBeUndefined();
    expect(["inactive", "active", "pending", "error", "locked"]).toContain(
      await engine.swarm.swarmState(),
    );
  });

  it("reads DOCKER_HOST once, from the env it is given", () => {
    const engine = new DockerEngine({ env: { DOCKER_HOST: "unix:///run/other.sock" } });
    expect(engine.where).toBe("unix:///run/other.sock");
    expect(engine.containers.where).toBe("unix:///run/other.sock");
  });
});
