import { describe, expect, it } from "vitest";
import type { AppRuntime, ListedAppContainer } from "../../../src/container/app-runtime.js";
import type { SwarmRuntime, SwarmService } from "../../../src/container/swarm-runtime.js";
import { NoInputError } from "../../../src/errors.js";
import { listLaunchedApps } from "../../../src/launch/launched-apps.js";
import { stopApp } from "../../../src/launch/stop-app.js";

function container(name: string, labels: Record<string, string>): ListedAppContainer {
  return {
    id: `id-${name}`,
    name,
    image: "img",
    state: "running",
    status: "Up",
    createdMs: 0,
    labels,
    ports: [],
  };
}

const hello = {
  "io.restager.app-guid": "g-hello",
  "io.restager.app-name": "hello",
  "io.restager.process-guid": "p-hello",
};
const other = { "io.restager.app-guid": "g-other", "io.restager.app-name": "other" };

class Engine {
  containers = [
    container("hello-1", { ...hello, "io.restager.instance-index": "1" }),
    container("hello-0", { ...hello, "io.restager.instance-index": "0" }),
    container("other-0", { ...other, "io.restager.instance-index": "0" }),
    container("svc.2.x", {
      ...hello,
      "com.docker.swarm.service.id": "s1",
      "com.docker.swarm.task.name": "restager-hello-abc.2.x",
    }),
  ];
  services: SwarmService[] = [
    { id: "s1", name: "restager-hello-abc", labels: hello, replicas: 1, ports: [] },
  ];
  removed: string[] = [];

  readonly runtime = {
    listApps: (labels: string[]) =>
      Promise.resolve(
        this.containers.filter((c) =>
          labels.every((l) => {
            const [key = "", value] = l.split("=");
            return key.startsWith("io.restager.") || c.labels[key] === value;
          }),
        ),
      ),
    stopAndRemove: (id: string) => {
      this.removed.push(id);
      this.containers = this.containers.filter((c) => c.id !== id);
      return Promise.resolve();
    },
  } as unknown as AppRuntime;

  readonly swarm = {
    listServices: () => Promise.resolve(this.services),
    removeService: (id: string) => {
      this.removed.push(id);
      this.services = this.services.filter((s) => s.id !== id);
      this.containers = this.containers.filter(
        (c) => c.labels["com.docker.swarm.service.id"] !== id,
      );
      return Promise.resolve();
    },
  } as unknown as SwarmRuntime;
}

describe("launched apps", () => {
  it("are grouped by app guid, instances by index (Swarm tasks by slot)", async () => {
    const engine = new Engine();
    const apps = await listLaunchedApps(engine.runtime, engine.swarm);
    expect(apps.map((a) => a.name)).toEqual(["hello", "other"]);
    expect(apps[0]?.instances.map((i) => [i.index, i.container.name])).toEqual([
      [0, "hello-0"],
      [1, "hello-1"],
      [1, "svc.2.x"],
    ]);
    expect(apps[0]?.services.map((s) => s.name)).toEqual(["restager-hello-abc"]);
  });
});

describe("stopping an app", () => {
  it.each(["hello", "g-hello", "p-hello"])(
    "finds it by %s and removes its service first",
    async (query) => {
      const engine = new Engine();
      const result = await stopApp(query, {
        runtime: engine.runtime,
        swarm: engine.swarm,
        serviceDrainMs: 0,
      });
      expect(result).toEqual({ containers: 3, services: 1 });
      expect(engine.removed[0]).toBe("s1");
      expect(engine.removed.slice(1).sort()).toEqual(["id-hello-0", "id-hello-1"]);
      expect(engine.containers.map((c) => c.name)).toEqual(["other-0"]);
    },
  );

  it("says how to list the apps when none matches", async () => {
    const engine = new Engine();
    const stopping = stopApp("nope", { runtime: engine.runtime, swarm: engine.swarm });
    await expect(stopping).rejects.toBeInstanceOf(NoInputError);
    await expect(stopping).rejects.toMatchObject({
      hint: expect.stringContaining("restager ps") as unknown,
    });
  });
});
