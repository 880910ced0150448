/**
 * The uploads that end an action tree: once every one of them has its file out of the container
 * (spooled on the host), nothing left in the tree touches the container again, since an upload
 * step only sends that host file and the wrappers around it (emit_progress, timeout, try) only
 * log, time or swallow. restage uses it to read the result file and remove the container while
 * the last uploads are still being sent, as nothing can observe the container any more.
 *
 * Conservative by construction: undefined unless the tree ends in uploads only. A serial ends in
 * its last child; a parallel or codependent group ends in uploads only when every child does.
 */
import type { Action, UploadAction } from "./actions.js";

export function finalUploads(action: Action | undefined): ReadonlySet<UploadAction> | undefined {
  if (action === undefined) return undefined;
  switch (action.kind) {
    case "upload":
      return new Set([action]);
    case "emit_progress":
    case "timeout":
    case "try":
      return finalUploads(action.action);
    case "serial":
      return finalUploads(action.actions.at(-1));
    case "parallel":
    case "codependent":
      return allFinal(action.actions);
    case "download":
    case "run":
      return undefined;
  }
}

function allFinal(actions: readonly Action[]): ReadonlySet<UploadAction> | undefined {
  if (actions.length === 0) return undefined;
  const uploads = new Set<UploadAction>();
  for (const child of actions) {
    const ends = finalUploads(child);
    if (ends === undefined) return undefined;
    for (const upload of ends) uploads.add(upload);
  }
  return uploads;
}
