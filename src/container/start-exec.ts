/** Creates and starts one Docker exec with its output attached (non-TTY, multiplexed). */
import type { Duplex } from "node:stream";
import type Docker from "dockerode";
import type { ExecHandle } from "./exec-process.js";

export interface ExecRequest {
  cmd: string[];
  user: string;
  env?: string[] | undefined;
  workingDir?: string | undefined;
  /** Attach stdin; the caller writes it into the returned stream and ends it. */
  stdin?: boolean | undefined;
}

export interface StartedExec {
  handle: ExecHandle;
  stream: Duplex;
}

/**
 * `signal` only guards creating the exec: aborting the attach request of a started exec would
 * not stop the process (Docker has no such API) and would lose its output and exit code.
 */
export async function startExec(
  container: Docker.Container,
  request: ExecRequest,
  signal?: AbortSignal,
): Promise<StartedExec> {
  const exec = await container.exec({
    Cmd: request.cmd,
    User: request.user,
    Env: request.env,
    WorkingDir: request.workingDir,
    AttachStdin: request.stdin === true,
    AttachStdout: true,
    AttachStderr: true,
    Tty: false,
    ...(signal ? { abortSignal: signal } : {}),
  });
  signal?.throwIfAborted();
  const stream = await exec.start({ hijack: true, stdin: request.stdin === true });
  const handle: ExecHandle = {
    inspect: async () => {
      const info = await exec.inspect();
      return { running: info.Running, exitCode: info.ExitCode };
    },
  };
  return { handle, stream };
}
