/**
 * A health probe tried from restager's side (AppRuntime.probeApp) against the address the
 * lifecycle's healthcheck dials inside the container, its first non-loopback IPv4: a TCP
 * connect, or an HTTP GET with the binary's headers that must end in 200, following redirects
 * as Go's HTTP client does (10 at most). Failures are worded as the binary words them, so that a
 * report reads the same whichever side checked. Whatever this side cannot judge as the binary
 * would (no answer at all from the address, a redirect to HTTPS) is "unreachable": the caller
 * then asks the binary in the container.
 */
import { request } from "node:http";
import { connect } from "node:net";
import type { AppProbe, ProbeResult } from "./app-runtime.js";

/** Go's http.Client gives up after this many redirects. */
const maxRedirects = 10;

export function probeFromHost(probe: AppProbe, signal?: AbortSignal): Promise<ProbeResult> {
  return probe.path === undefined ? tcpProbe(probe, signal) : httpProbe(probe, signal);
}

function tcpProbe(probe: AppProbe, signal?: AbortSignal): Promise<ProbeResult> {
  const { ip, port, timeoutMs } = probe;
  return new Promise((resolve) => {
    // Not connect's own `signal`: Node 20 leaves its abort listener on the signal after a
    // refused connection, one per try (every 10 ms of a start: thousands, each holding a socket).
    const socket = connect({ host: ip, port });
    const timer = setTimeout(() => finish({ outcome: "unreachable" }), timeoutMs);
    const onAbort = () => finish({ outcome: "unreachable" });
    signal?.addEventListener("abort", onAbort, { once: true });
    if (signal?.aborted) onAbort();
    function finish(result: ProbeResult): void {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      socket.destroy();
      resolve(result);
    }
    socket.once("connect", () => finish({ outcome: "passed" }));
    socket.once("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "ECONNREFUSED") return finish({ outcome: "unreachable" });
      const reason = `dial tcp ${ip}:${port}: connect: connection refused`;
      finish({
        outcome: "failed",
        message: `Failed to make TCP connection to port ${port}: ${reason}`,
      });
    });
  });
}

interface HttpTry {
  probe: AppProbe;
  /** When the whole request (redirects included) must have ended: Go's client Timeout. */
  deadline: number;
  began: number;
  signal?: AbortSignal | undefined;
}

function httpProbe(probe: AppProbe, signal?: AbortSignal): Promise<ProbeResult> {
  const began = performance.now();
  const attempt: HttpTry = { probe, deadline: began + probe.timeoutMs, began, signal };
  const url = `http://${probe.ip}:${probe.port}${probe.path ?? "/"}`;
  return follow(attempt, new URL(url), maxRedirects);
}

async function follow(attempt: HttpTry, url: URL, redirectsLeft: number): Promise<ProbeResult> {
  const answer = await get(attempt, url);
  if (answer.kind === "error") return answer.result;
  const { status, location } = answer;
  if (status >= 300 && status < 400 && status !== 304 && location !== undefined) {
    const next = new URL(location, url);
    if (next.protocol !== "http:" || redirectsLeft === 0) return { outcome: "unreachable" };
    return follow(attempt, next, redirectsLeft - 1);
  }
  if (status === 200) return { outcome: "passed" };
  const { port, path } = attempt.probe;
  const ms = Math.floor(performance.now() - attempt.began);
  const message = `Failed to make HTTP request to '${path ?? "/"}' on port ${port}: received status code ${status} in ${ms}ms`;
  return { outcome: "failed", message };
}

type Answer =
  | { kind: "answer"; status: number; location?: string | undefined }
  | { kind: "error"; result: ProbeResult };

/** One GET on a connection of its own; the body is read to its end, as the binary does. */
function get(attempt: HttpTry, url: URL): Promise<Answer> {
  const { probe, signal } = attempt;
  return new Promise((resolve) => {
    let connected = false;
    const req = request(url, {
      agent: false,
      signal,
      headers: { "User-Agent": "diego-healthcheck", "X-Forwarded-Proto": "https" },
    });
    const timer = setTimeout(
      () => finish(connected ? timedOut(probe) : unreachable),
      Math.max(0, attempt.deadline - performance.now()),
    );
    function finish(answer: Answer): void {
      clearTimeout(timer);
      req.destroy();
      resolve(answer);
    }
    req.once("socket", (socket) => socket.once("connect", () => (connected = true)));
    req.once("response", (response) => {
      response.resume();
      response.once("end", () => {
        const location = response.headers.location;
        finish({ kind: "answer", status: response.statusCode ?? 0, location });
      });
      response.once("error", () => finish(refused(probe)));
    });
    req.once("error", (error: NodeJS.ErrnoException) => {
      // Before a connection, only a refusal says the app is not listening yet.
      if (!connected && error.code !== "ECONNREFUSED") finish(unreachable);
      else finish(refused(probe));
    });
    req.end();
  });
}

const unreachable: Answer = { kind: "error", result: { outcome: "unreachable" } };

function refused(probe: AppProbe): Answer {
  const message = `Failed to make HTTP request to '${probe.path ?? "/"}' on port ${probe.port}: connection refused`;
  return { kind: "error", result: { outcome: "failed", message } };
}

function timedOut(probe: AppProbe): Answer {
  const seconds = (probe.timeoutMs / 1000).toFixed(2);
  const message = `Failed to make HTTP request to '${probe.path ?? "/"}' on port ${probe.port}: timed out after ${seconds} seconds`;
  return { kind: "error", result: { outcome: "failed", message } };
}
