/** Runs a short command in a running container and returns its exit code and output. */
import { finished } from "node:stream/promises";
import type Docker from "dockerode";
import type { CheckResult } from "./app-runtime.js";
import { DockerFrames } from "./docker-frames.js";
import { startExec } from "./start-exec.js";

/** Output kept from a check: the healthcheck binary prints its reason last. */
const keptOutputBytes = 4096;

export async function runCheck(
  container: Docker.Container,
  request: { argv: string[]; user: string },
  signal?: AbortSignal,
): Promise<CheckResult> {
  const { handle, stream } = await startExec(
    container,
    { cmd: request.argv, user: request.user },
    signal,
  );
  let output = Buffer.alloc(0);
  const keep = (chunk: Buffer) => {
    output = Buffer.concat([output, chunk]);
    if (output.length > keptOutputBytes) output = output.subarray(-keptOutputBytes);
  };
  const frames = new DockerFrames({ stdout: keep, stderr: keep });
  stream.on("data", (chunk: Buffer) => frames.push(chunk));
  await finished(stream, { writable: false }).catch(() => undefined);
  for (let delayMs = 5; ; delayMs = Math.min(delayMs * 2, 100)) {
    const state = await handle.inspect();
    if (!state.running && state.exitCode !== null) {
      return { exitCode: state.exitCode, output: output.toString("utf8").trim() };
    }
    await new Promise((resolve) => setTimeout(resolve, delayMs));
  }
}
