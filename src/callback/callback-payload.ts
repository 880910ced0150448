/**
 * The task completion callback BBS sends when a task with a `completion_callback_url` ends
 * (docs/diego.md §5.4): `models.TaskCallbackResponse`, snake_case on the wire.
 */
import type { TaskRequest } from "../diego/task-definition.js";
import { UsageError } from "../errors.js";

export interface TaskCallbackResponse {
  task_guid: string;
  failed: boolean;
  failure_reason: string;
  /** The result file's contents, as a string, failed or not ("" when it could not be read). */
  result: string;
  /** Omitted when empty, as BBS's `omitempty` does. */
  annotation?: string;
  /** Task creation time, Unix nanoseconds. */
  created_at: number;
}

export interface TaskEnd {
  failed: boolean;
  failureReason: string;
  /** The result file's text, when it could be read (the rep reads it on failure too). */
  resultText?: string | undefined;
}

/** Now, in Unix nanoseconds (millisecond precision). */
export function nowNs(): number {
  return Date.now() * 1_000_000;
}

export function callbackPayload(
  request: TaskRequest,
  end: TaskEnd,
  now: () => number = nowNs,
): TaskCallbackResponse {
  const { annotation } = request.definition;
  return {
    task_guid: callbackTaskGuid(request),
    failed: end.failed,
    failure_reason: end.failed ? end.failureReason : "",
    result: end.resultText ?? "",
    ...(annotation !== "" ? { annotation } : {}),
    created_at: request.state?.createdAtNs ?? now(),
  };
}

/**
 * The task guid: as recorded (cfdot, receptor, the stager's log line), else the guid in the
 * callback URL (`/v1/staging/<guid>/completed`, `/internal/v3/staging/<guid>/build_completed`),
 * which the receiver checks the payload against.
 */
export function callbackTaskGuid(request: TaskRequest): string {
  if (request.taskGuid) return request.taskGuid;
  const url = request.definition.completionCallbackUrl;
  const path = safePath(url);
  const match = /\/staging\/([^/]+)\/(?:completed|build_completed|droplet_completed)\/?$/.exec(
    path,
  );
  if (match?.[1]) return decodeURIComponent(match[1]);
  throw new UsageError("The task's guid is not known, so no completion callback can be sent", {
    hint: "Give the request as cfdot task JSON or as the stager's log line, which carry the task guid",
  });
}

function safePath(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return "";
  }
}
