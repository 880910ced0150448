import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { getEventListeners } from "node:events";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { probeFromHost } from "../../../src/container/host-probe.js";

/** An app on loopback: /ok answers 200, /fail 500, /moved redirects to /ok, /away to HTTPS. */
let server: Server;
let port = 0;
const seen: IncomingHttpHeaders[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    seen.push(request.headers);
    const redirects: Record<string, string> = {
      "/moved": "/ok",
      "/away": "https://127.0.0.1/ok",
      "/loop": "/loop",
    };
    const location = redirects[request.url ?? ""];
    if (location) response.writeHead(302, { location }).end();
    else if (request.url === "/slow") setTimeout(() => response.end("late"), 500);
    else response.writeHead(request.url === "/ok" ? 200 : 500).end("body");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const probe = (path: string | undefined, timeoutMs = 1000) =>
  probeFromHost({ ip: "127.0.0.1", port, path, timeoutMs });

/** A loopback port nothing listens on (the server's, once closed). */
async function closedPort(): Promise<number> {
  const spare = createServer();
  await new Promise<void>((resolve) => spare.listen(0, "127.0.0.1", resolve));
  const free = (spare.address() as AddressInfo).port;
  await new Promise((resolve) => spare.close(resolve));
  return free;
}

describe("a health probe from restager's side", () => {
  it("passes an HTTP check answered 200, with the healthcheck binary's headers", async () => {
    expect(await probe("/ok")).toEqual({ outcome: "passed" });
    expect(seen.at(-1)).toMatchObject({
      "user-agent": "diego-healthcheck",
      "x-forwarded-proto": "https",
    });
  });

  it("follows redirects as Go's client does, and gives HTTPS or endless ones to the binary", async () => {
    expect(await probe("/moved")).toEqual({ outcome: "passed" });
    expect(await probe("/away")).toEqual({ outcome: "unreachable" });
    expect(await probe("/loop")).toEqual({ outcome: "unreachable" });
  });

  it("words a failed HTTP check as the binary does", async () => {
    const failed = await probe("/fail");
    expect(failed.outcome === "failed" && failed.message).toMatch(
      /^Failed to make HTTP request to '\/fail' on port \d+: received status code 500 in \d+ms$/,
    );
    expect(await probe("/slow", 100)).toEqual({
      outcome: "failed",
      message: `Failed to make HTTP request to '/slow' on port ${port}: timed out after 0.10 seconds`,
    });
    const free = await closedPort();
    expect(
      await probeFromHost({ ip: "127.0.0.1", port: free, path: "/", timeoutMs: 1000 }),
    ).toEqual({
      outcome: "failed",
      message: `Failed to make HTTP request to '/' on port ${free}: connection refused`,
    });
  });

  it("connects for a TCP check, and words a refusal as the binary does", async () => {
    expect(await probe(undefined)).toEqual({ outcome: "passed" });
    const free = await closedPort();
    expect(await probeFromHost({ ip: "127.0.0.1", port: free, timeoutMs: 1000 })).toEqual({
      outcome: "failed",
      message: `Failed to make TCP connection to port ${free}: dial tcp 127.0.0.1:${free}: connect: connection refused`,
    });
  });

  it("leaves no listener on the caller's signal, however many refused tries it makes", async () => {
    const free = await closedPort();
    const stop = new AbortController();
    for (const path of [undefined, "/"]) {
      for (let i = 0; i < 12; i++) {
        const result = await probeFromHost(
          { ip: "127.0.0.1", port: free, path, timeoutMs: 1000 },
          stop.signal,
        );
        expect(result.outcome).toBe("failed");
      }
    }
    expect(getEventListeners(stop.signal, "abort")).toHaveLength(0);
    stop.abort();
    const aborted = await probeFromHost(
      { ip: "127.0.0.1", port: free, timeoutMs: 1000 },
      stop.signal,
    );
    expect(aborted.outcome).toBe("unreachable");
  });

  it("cannot tell when there is no route to the address", async () => {
    // The broadcast address: the kernel refuses to connect there (ENETUNREACH), sending nothing.
    const blackhole = { ip: "255.255.255.255", port: 8080, timeoutMs: 200 };
    expect(await probeFromHost(blackhole)).toEqual({ outcome: "unreachable" });
    expect(await probeFromHost({ ...blackhole, path: "/" })).toEqual({ outcome: "unreachable" });
  });
});
