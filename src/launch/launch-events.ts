import type { InstanceOutcome } from "./instance-outcome.js";

/** Progress of a launch, for the status line; nothing here is needed to report the result. */
export type LaunchEvent =
  | { kind: "starting"; index: number; name: string }
  | { kind: "port-retry"; index: number; hostPort: number | undefined }
  | { kind: "waiting"; pending: number; total: number }
  | { kind: "settled"; outcome: InstanceOutcome };
