import { isShellSafeName } from "./process-env.js";

/**
 * Docker exec has no signal API and no per-process rlimits, so every process starts under a
 * tiny `sh` wrapper that:
 *
 * 1. writes its PID and a newline to **stderr** before anything else runs. Docker multiplexes
 *    stdout and stderr as separate frames, so the first stderr bytes of the exec are exactly
 *    that line; the reader strips it and forwards the rest. (A PID file would need a directory
 *    writable by every user; fd 3 is not attached by Docker.) `exec` keeps the PID, so it is
 *    the real process's PID that later receives `kill`.
 * 2. applies `ulimit -n N` (soft = hard, as Garden does) when a nofile limit is set.
 * 3. replaces itself with the real program: `exec "$0" "$@"`, with path and args passed as
 *    argv, never re-parsed by the shell.
 *
 * dash (Debian's sh) silently drops environment entries whose names are not shell
 * identifiers (e.g. `spring.profiles.active`), which Garden would pass on. Those few entries
 * are re-added by `exec env -- NAME=value … "$0" "$@"` (coreutils `env`), so only then do their
 * values appear briefly in a command line.
 *
 * The working directory is set by Docker (exec WorkingDir), not by `cd`, so the shell does
 * not add OLDPWD to the environment.
 *
 * Docker adds variables of its own to every exec (HOSTNAME, and the image's env), and dash
 * exports PWD: `unset` removes the ones the process must not see (before `exec`, so they never
 * reach it).
 */
export interface WrapperInput {
  path: string;
  args: readonly string[];
  /** The full process env, `NAME=value`. */
  env: readonly string[];
  nofile?: number | undefined;
  /** Names to remove from what Docker hands the wrapper (shell-safe ones only). */
  unset?: readonly string[] | undefined;
}

export function wrapperArgv(input: WrapperInput): string[] {
  const lines = [`printf '%s\\n' "$$" >&2`];
  if (input.nofile !== undefined) {
    const n = Math.floor(input.nofile);
    lines.push(
      `ulimit -n ${n} || { echo "restager: cannot set the nofile limit to ${n}" >&2; exit 1; }`,
    );
  }
  // dash exports a PWD of its own; a process Garden starts has none unless its env sets one.
  const shellOwn = input.env.some((entry) => entry.startsWith("PWD=")) ? [] : ["PWD"];
  const unset = [...(input.unset ?? []), ...shellOwn].filter(isShellSafeName);
  if (unset.length > 0) lines.push(`unset ${unset.join(" ")}`);
  const unsafe = input.env.filter((entry) => !isShellSafeName(entry.slice(0, entry.indexOf("="))));
  lines.push(
    unsafe.length === 0
      ? `exec "$0" "$@"`
      : `exec env -- ${unsafe.map(shellQuote).join(" ")} "$0" "$@"`,
  );
  return ["/bin/sh", "-c", lines.join("\n"), input.path, ...input.args];
}

/** Quotes a string as one POSIX shell word (single quotes; `'` becomes `'\''`). */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
