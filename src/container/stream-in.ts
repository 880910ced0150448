/**
 * Garden's StreamIn, as guardian's nstar helper does it (rundmc/nstar/nstar.c): as root, in the
 * user's home, create the destination like `mkdir -p` with every component it creates made 0755
 * and owned by the user (existing components keep owner and mode); then, as the user, inside
 * the destination, `tar --no-same-permissions --no-same-owner --xattrs --xattrs-include=* -xf -`.
 * So entries belong to the user whatever the archive says, modes are masked by the umask, and
 * extracting where the user may not write fails as on a cell.
 *
 * Docker's archive API extracts as root and keeps the archive's owners, so it is not used here:
 * a root helper exec does the mkdir part and the container's own tar runs as the user, fed
 * through the exec's stdin. Failures read like Garden's:
 * `stream-in: nstar: error streaming in: exit status N. Output: <what the helpers printed>`.
 */
import type { Readable } from "node:stream";
import type Docker from "dockerode";
import type { ContainerUser } from "./container.js";
import { DockerExecProcess } from "./exec-process.js";
import type { RootCommands, ToError } from "./root-commands.js";
import { startExec } from "./start-exec.js";
import { throwIfCancelled } from "../core/cancellation.js";

/** nstar's tar flags for extraction. */
export const nstarTarArgs = [
  "tar",
  "--no-same-permissions",
  "--no-same-owner",
  "--xattrs",
  "--xattrs-include=*",
  "-xf",
  "-",
];

/** Combined output kept for the error message (nstar keeps all of it; tar prints little). */
const maxOutputBytes = 16 * 1024;

/**
 * `$1` home, `$2` absolute destination, `$3` uid:gid, `$4` "uid gid", `$5` uid, `$6` gid, then
 * tar's argv. Messages are nstar's perror lines (the reason is the part of the tool's message
 * after its last `: `). With util-linux's setpriv (Debian, Ubuntu, cflinuxfs) the same exec then
 * becomes the user's tar in the destination, as nstar does after its fchdir; without it (see
 * hasSetpriv), the tar runs in a second exec as the user.
 */
const prepareScript = [
  `cd -- "$1" 2>/dev/null || { echo 'chdir to user home: No such file or directory'; exit 1; }`,
  "set -f; IFS=/; p=",
  'for c in $2; do [ -n "$c" ] || continue; p="$p/$c"',
  '  { [ -e "$p" ] || [ -L "$p" ]; } && continue',
  '  e=$(mkdir -m 755 -- "$p" 2>&1 && chown -- "$3" "$p" 2>&1) ||',
  `    { printf 'mkdir_p_as %s: %s\\n' "$4" "\${e##*: }"; exit 1; }`,
  "done",
  `cd -- "$2" 2>/dev/null || { echo 'fchdir to container destination: Not a directory'; exit 1; }`,
  "u=$5; g=$6; shift 6; [ $# -gt 0 ] || exit 0",
  "command -v setpriv >/dev/null 2>&1 || exit 97",
  'exec setpriv --reuid="$u" --regid="$g" --clear-groups -- "$@"',
].join("\n");

/** Whether the container has setpriv: asked once per container, with `probeSetpriv`. */
export const probeSetpriv = ["/bin/sh", "-c", "command -v setpriv"];

/** What Garden answers when nstar fails. */
export class StreamInError extends Error {
  constructor(
    readonly exitCode: number,
    readonly output: string,
  ) {
    super(`stream-in: nstar: error streaming in: exit status ${exitCode}. Output: ${output}`);
    this.name = new.target.name;
  }
}

export interface StreamInRequest {
  /** Absolute destination (relative ones are resolved against the home by the caller). */
  path: string;
  user: ContainerUser;
  tar: Readable;
  signal?: AbortSignal | undefined;
}

export async function streamIn(
  { container, root }: { container: Docker.Container; root: RootCommands },
  request: StreamInRequest & { hasSetpriv: () => Promise<boolean> },
  toError: ToError,
): Promise<void> {
  const { path, user } = request;
  const ids = `${user.uid}:${user.gid}`;
  const prepare = (tarArgv: string[]) => [
    ...["/bin/sh", "-c", prepareScript, "sh", user.home || "/", path, ids],
    ...[`${user.uid} ${user.gid}`, String(user.uid), String(user.gid), ...tarArgv],
  ];
  if (await request.hasSetpriv()) {
    // One exec as root that creates the destination and then drops to the user's tar.
    await extract(container, { ...request, cmd: prepare(nstarTarArgs), execUser: "root" }, toError);
    return;
  }
  const prepared = await root.run(prepare([]), `create ${path}`, request.signal);
  if (prepared.exitCode !== 0) {
    throw new StreamInError(prepared.exitCode, prepared.stdout + prepared.stderr);
  }
  await extract(
    container,
    { ...request, cmd: nstarTarArgs, execUser: ids, workingDir: path },
    toError,
  );
}

/** Runs `cmd` fed with the tar; rejects with StreamInError unless it exits 0. */
async function extract(
  container: Docker.Container,
  request: StreamInRequest & { cmd: string[]; execUser: string; workingDir?: string },
  toError: ToError,
): Promise<void> {
  const { path, tar, signal, cmd, execUser } = request;
  const workingDir = request.workingDir ?? "/";
  let started;
  try {
    started = await startExec(container, { cmd, user: execUser, workingDir, stdin: true }, signal);
  } catch (error) {
    throw toError(error, `extract an archive into ${path}`, signal);
  }
  const { stream } = started;
  const output: Buffer[] = [];
  let size = 0;
  const keep = (chunk: Buffer) => {
    if (size < maxOutputBytes) output.push(chunk.subarray(0, maxOutputBytes - size));
    size += chunk.length;
  };
  const process = new DockerExecProcess(
    { handle: started.handle, stream },
    { stdout: keep, stderr: keep },
    { readsPid: false, signal, toError: (error, what) => toError(error, what, signal) },
  );
  const onAbort = () => stream.destroy();
  signal?.addEventListener("abort", onAbort, { once: true });
  // tar stops reading after a failure; the exit code and its message tell what happened.
  stream.on("error", () => undefined);
  // A source that fails (an archive entry refused while converting) fails the stream-in, even
  // when tar, seeing its input end early, exits 0 with part of the archive extracted.
  let sourceError: Error | undefined;
  tar.once("error", (error: Error) => {
    sourceError = error;
    stream.destroy();
  });
  tar.pipe(stream);
  try {
    const exitCode = await process.wait().catch((error: unknown) => {
      throw sourceError ?? error;
    });
    throwIfCancelled(signal);
    if (sourceError !== undefined) throw sourceError;
    if (exitCode !== 0) throw new StreamInError(exitCode, Buffer.concat(output).toString("utf8"));
  } finally {
    signal?.removeEventListener("abort", onAbort);
    tar.unpipe(stream);
  }
}
