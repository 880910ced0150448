import { PassThrough } from "node:stream";
import { describe, expect, it, vi } from "vitest";
import { CancelledError, UnavailableError } from "../../../src/errors.js";
import { DockerExecProcess, type ExecState } from "../../../src/container/exec-process.js";

function frame(stream: 1 | 2, text: string): Buffer {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header.writeUInt8(stream, 0);
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

/** An exec whose inspect answers come from `states` (the last one repeats). */
function fakeExec(states: ExecState[]) {
  const inspect = vi.fn(() => {
    const state = states.length > 1 ? states.shift() : states[0];
    return Promise.resolve(state ?? { running: false, exitCode: 0 });
  });
  return { inspect };
}

function setup(states: ExecState[], signal?: AbortSignal) {
  const stream = new PassThrough();
  const output = { stdout: "", stderr: "" };
  const kill = vi.fn(() => Promise.resolve());
  const process = new DockerExecProcess(
    { handle: fakeExec(states), stream },
    {
      stdout: (c) => (output.stdout += c.toString()),
      stderr: (c) => (output.stderr += c.toString()),
    },
    {
      readsPid: true,
      kill,
      signal,
      toError: (error) => new UnavailableError("lost", { cause: error }),
      streamGraceMs: 50,
    },
  );
  return { stream, output, kill, process };
}

const exited = (exitCode: number): ExecState => ({ running: false, exitCode });
const running: ExecState = { running: true, exitCode: null };

describe("DockerExecProcess", () => {
  it("delivers output without the PID line and resolves with the exit code", async () => {
    const { stream, output, process } = setup([exited(3)]);
    stream.write(frame(2, "42\nerr"));
    stream.write(frame(1, "out"));
    stream.end();
    expect(await process.wait()).toBe(3);
    expect(output).toEqual({ stdout: "out", stderr: "err" });
  });

  it("keeps polling when the output ended before the process", async () => {
    const { stream, process } = setup([running, running, exited(7)]);
    stream.end(frame(2, "9\n"));
    expect(await process.wait()).toBe(7);
  });

  it("signals the PID from the wrapper line, waiting for it when needed", async () => {
    const { stream, kill, process } = setup([exited(143)]);
    const signalled = process.signal("TERM");
    stream.write(frame(2, "12"));
    stream.write(frame(2, "3\n"));
    await signalled;
    expect(kill).toHaveBeenCalledWith(123, "TERM");
    stream.end();
    await process.wait();
  });

  it("does not signal a process that exited, or one whose PID never came", async () => {
    const done = setup([exited(0)]);
    done.stream.end(frame(2, "5\n"));
    await done.process.wait();
    await done.process.signal("KILL");
    expect(done.kill).not.toHaveBeenCalled();

    const silent = setup([exited(126)]);
    silent.stream.end(frame(1, "OCI runtime exec failed"));
    await silent.process.signal("TERM");
    expect(silent.kill).not.toHaveBeenCalled();
    expect(await silent.process.wait()).toBe(126);
  });

  it("never kills on abort, but cuts a stream held open after the process died", async () => {
    const controller = new AbortController();
    const { stream, kill, process } = setup([running, exited(137)], controller.signal);
    stream.write(frame(2, "8\n"));
    controller.abort(new CancelledError());
    expect(await process.wait()).toBe(137);
    expect(stream.destroyed).toBe(true);
    expect(kill).not.toHaveBeenCalled();
  });

  it("rejects wait() when the process state cannot be read", async () => {
    const stream = new PassThrough();
    const process = new DockerExecProcess(
      { handle: { inspect: () => Promise.reject(new Error("404 no such exec")) }, stream },
      { stdout: () => undefined, stderr: () => undefined },
      { readsPid: false, toError: (error) => new UnavailableError("lost", { cause: error }) },
    );
    stream.end();
    await expect(process.wait()).rejects.toBeInstanceOf(UnavailableError);
  });
});
