import type {
  Container,
  ContainerRuntime,
  ContainerSpec,
  VolumeStore,
} from "../../src/container/container.js";
import type { FoundContainer } from "../../src/container/docker-runtime.js";
import type { LeftoverRuntime } from "../../src/app/restage/leftovers.js";
import { FakeContainer } from "./fake-container.js";

/**
 * A ContainerRuntime (and the leftover survey's view of the engine) for unit tests of the
 * restage use case: every created container is `container`; no volumes; `found` are the
 * containers the survey sees (removing one records its id).
 */
export class FakeContainerRuntime implements ContainerRuntime {
  readonly container = new FakeContainer();
  readonly created: ContainerSpec[] = [];
  readonly removedLeftovers: string[] = [];
  found: FoundContainer[] = [];
  imagePresent = true;
  /** Set to make ping() fail with it (the engine gone). */
  pingError: Error | undefined;

  readonly volumes: VolumeStore = {
    list: () => Promise.resolve([]),
    inspect: () => Promise.resolve(undefined),
    create: (name, labels) => Promise.resolve({ name, labels, createdAt: new Date() }),
    remove: () => Promise.resolve(true),
    users: () => Promise.resolve([]),
  };

  ping(): Promise<void> {
    return this.pingError ? Promise.reject(this.pingError) : Promise.resolve();
  }

  imageExists(): Promise<boolean> {
    return Promise.resolve(this.imagePresent);
  }

  createIdle(spec: ContainerSpec): Promise<Container> {
    this.created.push(spec);
    return Promise.resolve(this.container);
  }

  createUnstarted(spec: ContainerSpec): Promise<Container> {
    return this.createIdle(spec);
  }

  removeLabelled(): Promise<number> {
    return Promise.resolve(0);
  }

  findContainers(): Promise<FoundContainer[]> {
    return Promise.resolve(this.found);
  }

  attach(id: string) {
    return {
      remove: () => {
        this.removedLeftovers.push(id);
        return Promise.resolve();
      },
    };
  }
}

/** The runtime as the restage use case's port. */
export function asRestageRuntime(
  runtime: FakeContainerRuntime,
): ContainerRuntime & LeftoverRuntime {
  return runtime as unknown as ContainerRuntime & LeftoverRuntime;
}
