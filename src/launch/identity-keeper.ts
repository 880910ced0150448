/**
 * Keeps the instance identities of one launch fresh after `launch` returned, as the executor's
 * credential manager does for each container (executor depot/containerstore/credmanager.go):
 * - at every restart of an instance (Docker's restart policy restarts the same container, whose
 *   address may change; a cell would create a new container with new credentials), new
 *   credentials for its current address, which the start script waits for;
 * - while an instance runs, new credentials before the old ones expire: every validity period
 *   minus 30 min (the credential manager's rotation for validities above 4 h).
 * It ends once no container of the launch is left (removed by `restager stop`, replaced by a
 * newer launch, or removed by hand), or when the engine's event stream ends.
 */
import type { AppRuntime } from "../container/app-runtime.js";
import { LabelKey } from "../core/labels.js";
import { instanceIdentityValidityMs, type IdentityIssuer } from "../identity/instance-identity.js";
import { AppLabelKey } from "./app-labels.js";
import { writeCellFiles } from "./instance-credentials.js";
import type { SmallFilesTarWriter } from "../archive/ports.js";

export interface KeeperOptions {
  /** The launch whose instances are kept (their `io.restager.run` label). */
  runId: string;
  organizationalUnits: string[];
  /**
   * Seconds since the epoch from which the engine's events count (restarts before the keeper
   * came up are replayed); default: now.
   */
  sinceS?: number | undefined;
  /** Default: the validity minus 30 min. */
  rotateMs?: number | undefined;
  /** Failures to issue for one instance (the keeper goes on with the others). */
  onError?: ((error: unknown) => void) | undefined;
}

export const rotationMs = instanceIdentityValidityMs - 30 * 60_000;

export async function keepInstanceIdentities(
  options: KeeperOptions,
  deps: {
    runtime: AppRuntime;
    identities: IdentityIssuer;
    archives: SmallFilesTarWriter;
  },
  signal: AbortSignal,
): Promise<void> {
  const { runtime } = deps;
  const labels = [`${LabelKey.run}=${options.runId}`];
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  signal.addEventListener("abort", onAbort, { once: true });
  const cell = { identity: { organizationalUnits: options.organizationalUnits } };
  const renew = async (id: string) => {
    const listed = (await runtime.listApps(labels)).find((c) => c.id === id);
    const guid = listed?.labels[AppLabelKey.instanceGuid];
    if (listed === undefined || guid === undefined) return;
    await writeCellFiles(deps, { id, guid, cell, withTrusted: false }, stop.signal);
  };
  const guarded = (id: string) => renew(id).catch((error: unknown) => options.onError?.(error));
  const renewAll = async () => {
    for (const container of await runtime.listApps(labels)) {
      if ((await runtime.inspectApp(container.id)).running) await guarded(container.id);
    }
  };
  const timer = setInterval(() => void renewAll(), options.rotateMs ?? rotationMs);
  try {
    if ((await runtime.listApps(labels)).length === 0) return;
    await runtime.followEvents(
      { labels, sinceS: options.sinceS },
      (event) => {
        if (event.action === "start") void guarded(event.id);
        else void endWhenGone(runtime, labels, stop);
      },
      stop.signal,
    );
  } finally {
    clearInterval(timer);
    signal.removeEventListener("abort", onAbort);
  }
}

async function endWhenGone(runtime: AppRuntime, labels: string[], stop: AbortController) {
  const left = await runtime.listApps(labels).catch(() => undefined);
  if (left?.length === 0) stop.abort();
}
