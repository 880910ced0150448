import { describe, expect, it } from "vitest";
import { FakeContainer } from "../../kit/fake-container.js";
import { FakeArchives } from "../../kit/fake-ports.js";
import {
  completeWithResult,
  failedToFetchResult,
  readResultFile,
  resultSizeLimitBytes,
} from "../../../src/restage/read-result-file.js";

const path = "/tmp/result.json";
const signal = new AbortController().signal;

function containerWith(content?: string | Buffer): FakeContainer {
  const container = new FakeContainer();
  if (content !== undefined) container.writeFile(path, content);
  return container;
}

function completion(outcome: { failed: boolean; failureReason: string }, content?: string) {
  const container = containerWith(content);
  const archives = new FakeArchives();
  const read = () => readResultFile(container, path, { archives, signal });
  return completeWithResult(outcome, read, path);
}

const succeeded = { failed: false, failureReason: "" };
const failed = { failed: true, failureReason: "STG: Exited with status 223" };

describe("readResultFile", () => {
  it("reads a result of exactly the rep's 50 KiB cap and parses JSON", async () => {
    const text = `"${"x".repeat(resultSizeLimitBytes - 2)}"`;
    const result = await readResultFile(containerWith(text), path, {
      archives: new FakeArchives(),
      signal,
    });
    expect(result.text).toHaveLength(resultSizeLimitBytes);
    expect(result.json).toBe("x".repeat(resultSizeLimitBytes - 2));
  });

  it("reads the file straight from a container on this host, under the same cap", async () => {
    const container = containerWith('{"lifecycle_type":"buildpack"}\n');
    container.openable.add(path);
    const archives = new FakeArchives();
    const result = await readResultFile(container, path, { archives, signal });
    expect(result.json).toEqual({ lifecycle_type: "buildpack" });
    expect(container.opened).toEqual([path]);
    const big = containerWith(Buffer.alloc(resultSizeLimitBytes + 1, 0x61));
    big.openable.add(path);
    await expect(readResultFile(big, path, { archives, signal })).rejects.toThrow(
      "result file is too large (over 51200 bytes)",
    );
  });

  it("refuses one byte more, with the rep's error", async () => {
    const container = containerWith(Buffer.alloc(resultSizeLimitBytes + 1, 0x61));
    await expect(
      readResultFile(container, path, { archives: new FakeArchives(), signal }),
    ).rejects.toThrow("result file is too large (over 51200 bytes)");
  });
});

describe("completeWithResult (the rep's task completion)", () => {
  it("a succeeded task carries its result", async () => {
    const done = await completion(succeeded, '{"ok":true}\n');
    expect(done).toMatchObject({ failed: false, failureReason: "" });
    expect(done.result).toEqual({ text: '{"ok":true}\n', json: { ok: true } });
  });

  it("a succeeded task without a result file fails with 'failed to fetch result'", async () => {
    const done = await completion(succeeded);
    expect(done).toMatchObject({ failed: true, failureReason: failedToFetchResult });
    expect(failedToFetchResult).toBe("failed to fetch result");
    expect(done.result).toBeUndefined();
  });

  it("a succeeded task with a result over the cap fails with 'failed to fetch result'", async () => {
    const done = await completion(succeeded, "y".repeat(resultSizeLimitBytes + 1));
    expect(done).toMatchObject({ failed: true, failureReason: "failed to fetch result" });
    expect(done.result).toBeUndefined();
  });

  it("a failed task carries the result file it left, keeping its own reason", async () => {
    const done = await completion(failed, '{"lifecycle_type":"buildpack"}\n');
    expect(done).toMatchObject(failed);
    expect(done.result?.text).toBe('{"lifecycle_type":"buildpack"}\n');
  });

  it("a failed task without a result file keeps its reason and an empty result", async () => {
    const done = await completion(failed);
    expect(done).toMatchObject(failed);
    expect(done.result).toBeUndefined();
  });

  it("reads nothing when the task names no result file", async () => {
    let reads = 0;
    const read = () => {
      reads++;
      return Promise.resolve({ text: "", json: undefined });
    };
    expect(await completeWithResult(succeeded, read, "")).toEqual(succeeded);
    expect(reads).toBe(0);
  });
});
