/**
 * Staging containers an earlier restage could not remove: the Docker engine stopped or
 * restarted under it (which also stops the container), so its final `remove` never reached the
 * engine. Such a leftover is a restager staging container that is no longer running and was
 * not kept on purpose (--keep labels its container `io.restager.keep=true`). Running ones are
 * never touched: they may belong to a restage running right now.
 */
import type { DockerRuntime } from "../../container/docker-runtime.js";
import { LabelKey } from "../../container/labels.js";
import type { Output } from "../output.js";

/** The label --keep puts on the staging container, so later runs leave it alone. */
export const keepLabel = "io.restager.keep";

const stoppedStates = new Set(["exited", "dead"]);

/**
 * Removes the leftovers and says so. Best effort: when the engine cannot be asked, restage's
 * own engine check reports that a moment later, so a failure here is only a debug line.
 */
export async function removeStaleStagingContainers(
  runtime: Pick<DockerRuntime, "ping" | "findContainers" | "attach">,
  output: Output,
): Promise<void> {
  try {
    // Bounded: an engine that hangs fails the ping within its timeout instead of the listing.
    await runtime.ping();
    const found = await runtime.findContainers(LabelKey.kind, "staging");
    const stale = found.filter(
      (c) =>
        c.labels[LabelKey.managed] === "true" &&
        c.labels[keepLabel] !== "true" &&
        stoppedStates.has(c.state),
    );
    for (const container of stale) {
      await runtime.attach(container.id).remove();
      const app = container.labels[LabelKey.appName] ?? container.labels[LabelKey.appGuid] ?? "?";
      output.info(
        `Removed ${container.name} (${container.id.slice(0, 12)}), a staging container of ${app} left by an interrupted restage`,
      );
    }
  } catch (error) {
    output.debug("stale-containers-not-removed", {
      error: error instanceof Error ? error.message : String(error),
    });
  }
}
