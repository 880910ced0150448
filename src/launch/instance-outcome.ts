import type { LogLine } from "../container/app-runtime.js";
import type { InstancePort } from "./instance-plan.js";

/** How one instance ended up once `launch` stopped waiting. */
export interface InstanceOutcome {
  index: number;
  guid: string;
  id: string;
  name: string;
  /**
   * running: healthy (or, without a health check, still up after a short grace);
   * crashed: exited, unhealthy, or never healthy within the start timeout.
   */
  state: "running" | "crashed";
  /** Why it crashed, in Diego's words where Diego has some. */
  reason?: string | undefined;
  ports: InstancePort[];
  /** From container start to healthy (running only). */
  readyAfterMs?: number | undefined;
  /** The last log lines (crashed instances only). */
  lastLines: LogLine[];
}
