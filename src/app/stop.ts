/** The `stop` use case: stops and removes what `launch` started for an app. */
import type { AppRuntime } from "../container/app-runtime.js";
import type { SwarmRuntime } from "../container/swarm-runtime.js";
import { stopApp } from "../launch/stop-app.js";

export interface StopRequest {
  /** The app's name, app guid or process guid. */
  app: string;
}

export interface StopPorts {
  runtime: AppRuntime;
  swarm: SwarmRuntime;
  /** The phase under way (a status line), and its end. */
  onPhase: (text: string | undefined) => void;
}

export interface StopReport {
  app: string;
  containers: number;
  services: number;
}

export async function stop(request: StopRequest, ports: StopPorts): Promise<StopReport> {
  ports.onPhase(`Stopping ${request.app}`);
  try {
    const result = await stopApp(request.app, { runtime: ports.runtime, swarm: ports.swarm });
    return { app: request.app, ...result };
  } finally {
    ports.onPhase(undefined);
  }
}
