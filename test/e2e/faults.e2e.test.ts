/**
 * `restage` against a blobstore that misbehaves while the app package downloads: a connection
 * reset mid-body (once, then on every attempt), a 404, and a server slower than the idle
 * timeout (a body stalling mid-way is covered at unit level, cached-downloader-retries.test.ts:
 * the fake's `slow` fault holds the headers back with the first chunk). Diego's
 * downloader retries network trouble and 5xx four times and never a 4xx; the user gets exit 69
 * ("a URL cannot be reached", src/errors.ts) with the redacted URL and a hint, never a stack.
 *
 * Covered elsewhere: 5xx then success, an expired URL (403 → 77) and cc-uploader failing every
 * attempt (75) in restage-http.e2e.test.ts; a checksum mismatch in restage-failures.e2e.test.ts;
 * a download stalling past the task's own timeout in restage-cancel.e2e.test.ts; the callback's
 * 503 then 200 in callback.e2e.test.ts.
 */
import { describe, expect, it } from "vitest";
import { faults } from "../kit/fake-cf/fake-cf.js";
import type { StagingWorld } from "../kit/staging-world.js";
import type { CliResult } from "../kit/e2e/cli.js";
import { useE2eCase } from "../kit/e2e/e2e-case.js";
import {
  expectExit,
  expectNoSecrets,
  expectNoStackTrace,
  urlSecrets,
} from "../kit/e2e/expectations.js";

const packages = "/read/cc-packages/";
/** Diego's downloader makes 4 attempts (src/http/retry.ts). */
const downloadAttempts = 4;
/** Shortens the 10 s idle timeout (read by the CLI's composition root, src/cli/wiring/restage.ts). */
const idleTimeoutMs = 1_000;

describe("restage when the app package download fails", () => {
  const current = useE2eCase();

  it("retries a connection reset in the middle of the body and succeeds", async () => {
    const e2e = current();
    const world = await e2e.world();
    world.cf.inject({ server: "blobstore", path: packages }, faults.reset(64, 1));
    const run = await e2e.restage([world.taskFile, "--no-image"]);
    expectExit(run, 0);
    const attempts = world.cf.requestsTo("blobstore", packages);
    expect(attempts.map((r) => r.outcome)).toEqual(["reset", "completed"]);
    expect(attempts.map((r) => r.status)).toEqual([200, 200]);
    expect(world.cf.uploadedDroplets()).toHaveLength(1);
  });

  it("exits 69 after 4 attempts when every attempt is reset, naming the URL without secrets", async () => {
    const e2e = current();
    const world = await e2e.world();
    world.cf.inject({ server: "blobstore", path: packages }, faults.reset(64, Infinity));
    const run = await e2e.restage([world.taskFile]);
    expectExit(run, 69);
    expect(world.cf.requestsTo("blobstore", packages).map((r) => r.outcome)).toEqual(
      Array(downloadAttempts).fill("reset"),
    );
    expectDownloadFailure(
      run.stderr,
      world,
      /Download failed: could not fetch http:\/\/\S+\/read\/cc-packages\/\S+/,
    );
    // The host answered (then reset): no "is it reachable / --resolve" hint.
    expect(run.stderr).toMatch(/^Hint: The server accepted the connection, then closed it;/m);
    expectClean(world, run);
  });

  it("exits 69 on a 404 at once, without retrying, quoting Diego's status message", async () => {
    const e2e = current();
    const world = await e2e.world();
    world.cf.inject({ server: "blobstore", path: packages }, faults.status(404, Infinity));
    const run = await e2e.restage([world.taskFile]);
    expectExit(run, 69);
    expect(world.cf.requestsTo("blobstore", packages).map((r) => r.status)).toEqual([404]);
    expectDownloadFailure(
      run.stderr,
      world,
      /Download failed: Status code 404 \(GET http:\/\/[^\s?]+\/read\/cc-packages\/[^\s?]+\?…\)$/m,
    );
    expect(run.stderr).toMatch(/^Hint: Check that the URL is right/m);
    expectClean(world, run);
  });

  it("exits 69 with a timeout message when the server never sends headers", async () => {
    const e2e = current();
    const world = await e2e.world();
    world.cf.inject(
      { server: "blobstore", path: packages },
      faults.slow({ delayMs: 60_000, times: Infinity }),
    );
    const run = await e2e.restage([world.taskFile], {
      env: { RESTAGER_HTTP_IDLE_TIMEOUT_MS: String(idleTimeoutMs) },
    });
    expectExit(run, 69);
    expect(world.cf.requestsTo("blobstore", packages)).toHaveLength(downloadAttempts);
    expectDownloadFailure(
      run.stderr,
      world,
      /^ {2}Download failed: timed out waiting for an answer from http:\/\/[^\s?]+\/read\/cc-packages\//m,
    );
    expect(run.stderr).toMatch(/^Hint: The server is up but stalled/m);
    // Four idle timeouts plus Diego's backoff (0.5 + 1 + 2 s), nowhere near the 60 s delay.
    expect(run.durationMs).toBeLessThan(30_000);
    expectClean(world, run);
  });

  it("waits for a slow server that answers within the idle timeout, without retrying", async () => {
    const e2e = current();
    const world = await e2e.world();
    world.cf.inject(
      { server: "blobstore", path: packages },
      faults.slow({ msPerChunk: idleTimeoutMs * 0.7 }),
    );
    const run = await e2e.restage([world.taskFile, "--no-image"], {
      env: { RESTAGER_HTTP_IDLE_TIMEOUT_MS: String(idleTimeoutMs) },
    });
    expectExit(run, 0);
    const [attempt, ...more] = world.cf.requestsTo("blobstore", packages);
    expect(more).toEqual([]);
    expect(attempt?.status).toBe(200);
    expect(attempt?.durationMs).toBeGreaterThanOrEqual(idleTimeoutMs * 0.7);
  });
});

/** Diego's task failure line, the typed reason once, and nothing uploaded. */
function expectDownloadFailure(stderr: string, world: StagingWorld, reason: RegExp): void {
  expect(stderr).toContain("[STG] ERR Downloading app package failed");
  expect(stderr).toMatch(/^Staging failed: Downloading app package failed/m);
  expect(stderr).toMatch(reason);
  expect(stderr.match(/^Error: /gm) ?? []).toHaveLength(0);
  expect(world.cf.requestsTo("ccUploader")).toEqual([]);
}

/** Nothing on stdout, no stack trace, no credential or signed query. */
function expectClean(world: StagingWorld, run: CliResult): void {
  expect(run.stdout).toBe("");
  expectNoStackTrace(run);
  expectNoSecrets(run, urlSecrets(world.task, { signatures: true }));
}
