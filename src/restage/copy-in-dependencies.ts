/**
 * The fallback when the engine will not give a dependency a volume: the expanded dependency is
 * copied into the staging container at `to`, owned by root like a read-only mount (the same
 * conversion BBS applies for V0 clients), every dependency in one archive upload.
 */
import { posix } from "node:path";
import { TarPartError, type Archives } from "../archive/ports.js";
import type { Container } from "../container/container.js";
import { messages } from "../diego/messages.js";
import { aggregateErrors, errorMessage } from "../diego/steps/step-errors.js";
import {
  dependencyFailure,
  downloadFailure,
  type FetchedDependency,
} from "./dependency-downloads.js";
import { cancellation } from "../core/cancellation.js";
import type { Logger } from "../core/events.js";

/** Dependencies are mounted (and copied) as root; a relative `to` is under root's home. */
const rootHome = "/root";

/** Where a dependency lands in the container. */
export function dependencyTarget(to: string): string {
  return posix.resolve(rootHome, to);
}

/**
 * Rejects with the dependencies' EmittableErrors: `Downloading <name> failed` when an archive
 * cannot be expanded, else `Copying <name> into the container failed: <reason>` for each.
 */
export async function copyInDependencies(
  fetched: readonly FetchedDependency[],
  target: { container: Container; archives: Archives; logger: Logger },
  signal: AbortSignal,
): Promise<void> {
  if (fetched.length === 0) return;
  const owner = { uid: 0, gid: 0 };
  const parts = fetched.map((item) => ({
    filePath: item.file.path,
    owner,
    prefix: dependencyTarget(item.dependency.to).slice(1),
  }));
  const tar = target.archives.combinedTar(parts);
  let partError: unknown;
  tar.once("error", (error) => (partError = error));
  try {
    await target.container.putArchive("/", tar, { signal });
  } catch (error) {
    if (signal.aborted) throw cancellation(signal);
    const { logger } = target;
    const failed = partError instanceof TarPartError ? fetched[partError.index] : undefined;
    if (failed && partError instanceof TarPartError) {
      throw downloadFailure(failed, partError.cause, logger);
    }
    const reason = errorMessage(error);
    throw aggregateErrors(
      fetched.map((item) =>
        dependencyFailure(item, messages.copyFailed(item.dependency.name, reason), error, logger),
      ),
    );
  } finally {
    tar.destroy();
  }
}
