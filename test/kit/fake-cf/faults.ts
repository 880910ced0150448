/**
 * Fault injection: `fakeCf.inject(route, fault)`. Each fault applies to the next `times`
 * matching requests (default 1; `Infinity` for all); several faults on one route combine.
 */
import type { ServerName } from "./server-name.js";

export type Fault =
  /** Answer `status` instead of handling the request. */
  | { kind: "status"; status: number; times: number }
  /** Destroy the socket after `afterBytes` bytes of the response body (0: before headers). */
  | { kind: "reset"; afterBytes: number; times: number }
  /** Wait `delayMs` before handling; pause `msPerChunk` before each response body chunk. */
  | { kind: "slow"; delayMs: number; msPerChunk: number; times: number }
  /** Serve corrupted bytes with the same length, ETag and Last-Modified. */
  | { kind: "wrongBytes"; times: number }
  /** Answer 403 with the blobstore's "Request has expired" error. */
  | { kind: "expired"; times: number }
  /** Callback endpoints: record the payload but answer `status` (BBS retries 503/504). */
  | { kind: "callbackStatus"; status: number; times: number };

/** Fault constructors. */
export const faults = {
  status: (status: number, times = 1): Fault => ({ kind: "status", status, times }),
  reset: (afterBytes = 0, times = 1): Fault => ({ kind: "reset", afterBytes, times }),
  slow: (options: { delayMs?: number; msPerChunk?: number; times?: number }): Fault => ({
    kind: "slow",
    delayMs: options.delayMs ?? 0,
    msPerChunk: options.msPerChunk ?? 0,
    times: options.times ?? 1,
  }),
  wrongBytes: (times = 1): Fault => ({ kind: "wrongBytes", times }),
  expired: (times = 1): Fault => ({ kind: "expired", times }),
  callbackStatus: (status: number, times = 1): Fault => ({ kind: "callbackStatus", status, times }),
};

/** Which requests a fault applies to. */
export interface Route {
  server: ServerName;
  /** Path prefix (without query); all paths when absent. */
  path?: string;
  /** HTTP method (uppercase); all methods when absent. */
  method?: string;
}

/** What one request must suffer, merged from every matching fault. */
export interface FaultPlan {
  status?: number;
  resetAfterBytes?: number;
  delayMs: number;
  msPerChunk: number;
  wrongBytes: boolean;
  expired: boolean;
  callbackStatus?: number;
  /** Fault kinds applied, for the request log. */
  applied: Fault["kind"][];
}

interface Armed {
  route: Route;
  fault: Fault;
  remaining: number;
}

export class FaultTable {
  #armed: Armed[] = [];

  add(route: Route, fault: Fault): void {
    this.#armed.push({ route, fault, remaining: fault.times });
  }

  clear(): void {
    this.#armed = [];
  }

  /** Consumes one use of every matching fault and merges them into a plan. */
  take(server: ServerName, method: string, path: string): FaultPlan {
    const plan: FaultPlan = {
      delayMs: 0,
      msPerChunk: 0,
      wrongBytes: false,
      expired: false,
      applied: [],
    };
    for (const armed of this.#armed) {
      if (armed.remaining <= 0 || !matches(armed.route, { server, method, path })) continue;
      armed.remaining -= 1;
      apply(plan, armed.fault);
      plan.applied.push(armed.fault.kind);
    }
    return plan;
  }
}

function matches(
  route: Route,
  request: { server: ServerName; method: string; path: string },
): boolean {
  const { server, method, path } = request;
  return (
    route.server === server &&
    (route.method === undefined || route.method === method) &&
    (route.path === undefined || path.startsWith(route.path))
  );
}

function apply(plan: FaultPlan, fault: Fault): void {
  switch (fault.kind) {
    case "status":
      plan.status ??= fault.status;
      return;
    case "reset":
      plan.resetAfterBytes = Math.min(plan.resetAfterBytes ?? Infinity, fault.afterBytes);
      return;
    case "slow":
      plan.delayMs += fault.delayMs;
      plan.msPerChunk += fault.msPerChunk;
      return;
    case "wrongBytes":
      plan.wrongBytes = true;
      return;
    case "expired":
      plan.expired = true;
      return;
    case "callbackStatus":
      plan.callbackStatus ??= fault.status;
      return;
  }
}
