import { buildLabels } from "../core/labels.js";
import type { AppIdentity } from "../diego/app-identity.js";

/** Label keys of launched apps, next to the common ones of src/core/labels.ts. */
export const AppLabelKey = {
  processGuid: "io.restager.process-guid",
  instanceIndex: "io.restager.instance-index",
  instanceGuid: "io.restager.instance-guid",
  /**
   * "docker" for containers `launch` runs itself, "swarm" for a Swarm service and its tasks,
   * "compose" for containers of a compose file it wrote.
   */
  output: "io.restager.output",
  /** The launcher run's log source (APP/PROC/WEB), for log prefixes. */
  logSource: "io.restager.log-source",
  /** The sha256 of the droplet the instance runs, when known (replacing instances compares it). */
  dropletSha256: "io.restager.droplet-sha256",
} as const;

export type AppOutput = "docker" | "swarm" | "compose";

export interface AppLabelInput {
  runId: string;
  app: AppIdentity;
  processGuid: string;
  output: AppOutput;
  logSource: string;
  dropletSha256?: string | undefined;
  /** `--label` values; they cannot replace restager's own keys. */
  extra: Record<string, string>;
}

/** The labels every container (or service) of one launched app carries. */
export function appLabels(input: AppLabelInput): Record<string, string> {
  return {
    ...input.extra,
    ...buildLabels({
      runId: input.runId,
      kind: "app",
      appGuid: input.app.guid,
      appName: input.app.name,
    }),
    [AppLabelKey.processGuid]: input.processGuid,
    [AppLabelKey.output]: input.output,
    [AppLabelKey.logSource]: input.logSource,
    ...(input.dropletSha256 ? { [AppLabelKey.dropletSha256]: input.dropletSha256 } : {}),
  };
}
