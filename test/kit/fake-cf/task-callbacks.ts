/**
 * Task completion callbacks (reference §5.4): BBS POSTs a TaskCallbackResponse to the stager
 * (`/v1/staging/<guid>/completed`) or, CC-direct, to `/internal/v3/staging/<guid>/build_completed`.
 * Every callback is recorded, valid or not; a malformed one is answered 400 with the reason.
 */
import { sendJson, sendText, type Exchange } from "./exchange.js";
import { BodyTooLargeError, readSmallBody } from "./read-body.js";
import type { ServerName } from "./server-name.js";

// The wire shape is the product's; what the fake accepts is decided by its own checks below.
import type { TaskCallbackResponse } from "../../../src/callback/callback-payload.js";

export type { TaskCallbackResponse };

export interface RecordedCallback {
  server: ServerName;
  path: string;
  /** The staging guid from the path. */
  guid: string;
  query: Record<string, string>;
  rawBody: string;
  /** Set when the body had the right shape. */
  payload: TaskCallbackResponse | undefined;
  /** Why the callback was refused, when it was. */
  problem: string | undefined;
  status: number;
}

export class TaskCallbacks {
  readonly received: RecordedCallback[] = [];

  /** Handles one callback; the stager additionally needs `annotation.lifecycle` to pick a backend. */
  async receive(ex: Exchange, guid: string, needsLifecycle: boolean): Promise<void> {
    let rawBody: string;
    try {
      rawBody = await readSmallBody(ex.body);
    } catch (error) {
      if (error instanceof BodyTooLargeError) return sendText(ex, 413, `${error.message}\n`);
      throw error;
    }
    const problem = callbackProblem(rawBody, guid, needsLifecycle);
    const status = problem !== undefined ? 400 : (ex.fault.callbackStatus ?? 200);
    const payload =
      problem === undefined ? (JSON.parse(rawBody) as TaskCallbackResponse) : undefined;
    const query = Object.fromEntries(ex.query);
    this.received.push({
      server: ex.server,
      path: ex.path,
      guid,
      query,
      rawBody,
      payload,
      problem,
      status,
    });
    if (problem !== undefined) return sendText(ex, 400, `${problem}\n`);
    return status === 200
      ? sendJson(ex, 200, {})
      : sendText(ex, status, `fake-cf: injected status ${status}\n`);
  }
}

/** The first thing wrong with a callback body, or undefined when it is well formed. */
export function callbackProblem(
  rawBody: string,
  guid: string,
  needsLifecycle: boolean,
): string | undefined {
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    return "body is not JSON";
  }
  if (typeof body !== "object" || body === null || Array.isArray(body))
    return "body is not a JSON object";
  const fields = body as Record<string, unknown>;
  const typeProblem = fieldTypeProblem(fields);
  if (typeProblem !== undefined) return typeProblem;
  if (fields.task_guid !== guid)
    return `task_guid ${String(fields.task_guid)} does not match ${guid}`;
  if (fields.failed === false && !isJsonObject(fields.result as string))
    return "result is not a JSON object";
  if (needsLifecycle && !hasLifecycle(fields.annotation)) return "annotation has no lifecycle";
  return undefined;
}

function fieldTypeProblem(fields: Record<string, unknown>): string | undefined {
  const expected: [string, string][] = [
    ["task_guid", "string"],
    ["failed", "boolean"],
    ["failure_reason", "string"],
    ["result", "string"],
    ["created_at", "number"],
  ];
  for (const [name, type] of expected) {
    if (typeof fields[name] !== type) return `${name} must be a ${type}`;
  }
  if (!Number.isInteger(fields.created_at)) return "created_at must be an integer (Unix ns)";
  if (fields.annotation !== undefined && typeof fields.annotation !== "string")
    return "annotation must be a string";
  return undefined;
}

function isJsonObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

function hasLifecycle(annotation: unknown): boolean {
  if (typeof annotation !== "string" || !isJsonObject(annotation)) return false;
  return typeof (JSON.parse(annotation) as { lifecycle?: unknown }).lifecycle === "string";
}
