/** The Swarm port of `launch --output swarm`, `ps` and `stop`. Our types only. */
import type { ContainerHealthcheck } from "./app-runtime.js";

export interface SwarmPort {
  target: number;
  /** undefined: the engine picks (host mode: a random port per task). */
  published?: number | undefined;
  mode: "ingress" | "host";
}

export interface SwarmServiceSpec {
  name: string;
  image: string;
  /** The container's entrypoint (Swarm's ContainerSpec.Command). */
  command: string[];
  args: string[];
  /** `NAME=value`; values may use Swarm templates such as `{{.Task.Slot}}`. */
  env: string[];
  user: string;
  workingDir: string;
  /** Labels of the service and of each task's container. */
  labels: Record<string, string>;
  replicas: number;
  ports: SwarmPort[];
  memoryMb?: number | undefined;
  nofile?: number | undefined;
  healthcheck?: ContainerHealthcheck | undefined;
  network?: string | undefined;
}

export interface SwarmTask {
  id: string;
  slot: number;
  /** Swarm's task state: new, pending, ..., starting, running, complete, failed, rejected, ... */
  state: string;
  desiredState: string;
  message: string;
  error?: string | undefined;
  containerId?: string | undefined;
  /** Host-mode published ports of the task. */
  ports: { target: number; published: number }[];
}

export interface SwarmService {
  id: string;
  name: string;
  labels: Record<string, string>;
  replicas: number;
  /** Ingress-published ports (host-mode ones are per task). */
  ports: { target: number; published: number }[];
}

export interface SwarmRuntime {
  /** "active" when the engine is a swarm node (manager needed to create services). */
  swarmState(): Promise<string>;
  createService(spec: SwarmServiceSpec): Promise<string>;
  serviceTasks(serviceId: string): Promise<SwarmTask[]>;
  /** Services carrying every one of `labels` (`key` or `key=value`). */
  listServices(labels: string[]): Promise<SwarmService[]>;
  /** Removes a service; a missing one is not an error. */
  removeService(id: string): Promise<void>;
}
