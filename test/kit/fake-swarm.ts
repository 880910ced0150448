/**
 * An in-memory SwarmRuntime for `launch` unit tests: an active swarm whose services run every
 * replica at once (or none, with `runs: false`).
 */
import type {
  SwarmRuntime,
  SwarmService,
  SwarmServiceSpec,
  SwarmTask,
} from "../../src/container/swarm-runtime.js";

export class FakeSwarm implements SwarmRuntime {
  readonly specs: SwarmServiceSpec[] = [];
  readonly removed: string[] = [];

  constructor(private readonly options: { state?: string; runs?: boolean } = {}) {}

  swarmState(): Promise<string> {
    return Promise.resolve(this.options.state ?? "active");
  }

  createService(spec: SwarmServiceSpec): Promise<string> {
    this.specs.push(spec);
    return Promise.resolve(`svc${this.specs.length}`);
  }

  serviceTasks(serviceId: string): Promise<SwarmTask[]> {
    const spec = this.specs[Number(serviceId.slice(3)) - 1];
    const state = this.options.runs === false ? "rejected" : "running";
    const tasks = Array.from({ length: spec?.replicas ?? 0 }, (_, index) => ({
      id: `task${index}`,
      slot: index + 1,
      state,
      desiredState: "running",
      message: state,
      ports: [],
    }));
    return Promise.resolve(tasks);
  }

  listServices(): Promise<SwarmService[]> {
    return Promise.resolve([]);
  }

  removeService(id: string): Promise<void> {
    this.removed.push(id);
    return Promise.resolve();
  }
}
