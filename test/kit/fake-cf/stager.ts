/** The stager's BBS-facing endpoint: `POST /v1/staging/<staging_guid>/completed`. */
import { sendText, type Exchange } from "./exchange.js";
import type { TaskCallbacks } from "./task-callbacks.js";

const COMPLETED = /^\/v1\/staging\/([^/]+)\/completed$/;

export function stagerHandler(callbacks: TaskCallbacks) {
  return async (ex: Exchange): Promise<void> => {
    const match = COMPLETED.exec(ex.path);
    if (match === null || ex.method !== "POST") return sendText(ex, 404, "404 page not found\n");
    // The stager reads annotation.lifecycle to choose the backend that builds CC's payload.
    return callbacks.receive(ex, decodeURIComponent(match[1] ?? ""), true);
  };
}
