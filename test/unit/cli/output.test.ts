import { execFileSync } from "node:child_process";
import {
  closeSync,
  constants,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createOutput, type CliIo } from "../../../src/cli/output.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "restager-output-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** An Output on `fd` whose streams fail the test if read (unless given). */
function outputOn(fd: number, stdout?: PassThrough) {
  const untouched = (name: string) => () => {
    throw new Error(`${name} was created`);
  };
  const io: CliIo = {
    stdin: new PassThrough(),
    get stdout() {
      return stdout ?? untouched("stdout")();
    },
    get stderr() {
      return untouched("stderr")();
    },
    env: {},
    fds: { stdout: fd, stderr: fd },
  };
  return createOutput(Object.assign(io, { verbose: false, json: false }));
}

describe("createOutput with the process's descriptors", () => {
  it("writes results to the descriptor, one line each, without creating a stream", () => {
    const path = join(dir, "out");
    const fd = openSync(path, "w");
    try {
      const output = outputOn(fd);
      expect(output.stdoutIsTty).toBe(false);
      expect(output.isTty).toBe(false);
      output.result('{"a":1}');
      output.result("é\n");
    } finally {
      closeSync(fd);
    }
    expect(readFileSync(path, "utf8")).toBe('{"a":1}\né\n');
  });

  it("hands the rest to the stream when a non-blocking descriptor is full", () => {
    const fifo = join(dir, "fifo");
    execFileSync("mkfifo", [fifo]);
    // Read-write: the FIFO has a reader (this process) but nobody drains it until the end.
    const fd = openSync(fifo, constants.O_RDWR | constants.O_NONBLOCK);
    const stream = new PassThrough();
    const streamed: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => streamed.push(chunk));
    try {
      const output = outputOn(fd, stream);
      const lines = Array.from({ length: 40 }, (_, index) => `${index}`.padEnd(8191, "x"));
      for (const line of lines) output.result(line);
      const direct = Buffer.alloc(1024 * 1024);
      const bytes = readSync(fd, direct);
      expect(bytes).toBeGreaterThan(0);
      expect(streamed.length).toBeGreaterThan(0);
      const all = Buffer.concat([direct.subarray(0, bytes), ...streamed]).toString();
      expect(all).toBe(lines.map((line) => `${line}\n`).join(""));
    } finally {
      closeSync(fd);
    }
  });
});
