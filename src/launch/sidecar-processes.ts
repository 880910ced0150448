/**
 * The other members of an LRP's codependent action (sidecars), run in every instance next to
 * the app process as a cell runs them (executor depot/transformer/transformer.go: every member
 * of a `codependent` is a run step of the same container, logged under its own `log_source`;
 * depot/steps/codependent_step.go: the first member to exit ends the others, and the instance
 * crashes). Cloud Controller makes each app sidecar a launcher run action with its own env
 * (cloud_controller_ng lib/cloud_controller/diego/main_lrp_action_builder.rb), log source
 * `APP/PROC/<TYPE>/SIDECAR/<NAME>`.
 *
 * In the container the start script (start-script.ts) starts each sidecar in the background
 * before it execs the app: the sidecar's stdout and stderr lines are tagged `[<log source>] `
 * on the container's stdout and stderr (so `docker logs` and `launch` tell them apart), its end
 * is written as its run step writes it (`Exit status N`, tagged), and then the app is sent TERM
 * (KILL after Diego's 10 s grace): the container exits and the restart policy restarts it.
 */
import type { EnvVar } from "../core/env-var.js";
import type { RunAction } from "../diego/actions.js";
import { homeDir } from "../diego/home-dir.js";
import { shellJoin, shellQuote } from "./shell-quote.js";

/** A sidecar as the start script runs it: what differs from the app process. */
export interface SidecarProcess {
  logSource: string;
  argv: string[];
  /** Variables whose value differs from the app process's (or that it lacks). */
  set: EnvVar[];
  /** Variables of the app process that this process does not have. */
  unset: string[];
  dir: string;
  nofile?: number | undefined;
}

/** Names `sh` can set or unset (any other stops the subshell); others are left as they are. */
const shellName = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Diego's graceful shutdown interval: TERM, then KILL after this many seconds. */
export const gracefulShutdownS = 10;

/** The tag that starts every line of a sidecar's output in the container's log. */
export function sidecarTag(logSource: string): string {
  return `[${logSource}] `;
}

/**
 * A sidecar from its run action. `appEnv` and `ownEnv` are the two processes' full environments
 * (built the same way, so shared values compare equal).
 */
export function sidecarProcess(
  run: RunAction,
  env: { appEnv: readonly EnvVar[]; ownEnv: readonly EnvVar[]; fallbackSource: string },
): SidecarProcess {
  const app = new Map(env.appEnv.map((v) => [v.name, v.value]));
  const own = new Set(env.ownEnv.map((v) => v.name));
  return {
    logSource: run.logSource || env.fallbackSource,
    argv: [run.path, ...run.args],
    set: env.ownEnv.filter((v) => app.get(v.name) !== v.value && shellName.test(v.name)),
    unset: env.appEnv.filter((v) => !own.has(v.name) && shellName.test(v.name)).map((v) => v.name),
    dir: run.dir ?? homeDir(run.user),
    nofile: run.resourceLimits.nofile,
  };
}

/** Where a sidecar's exit status is kept between its end and its `Exit status` line. */
const statusFile = (index: number) => `/tmp/.restager-sidecar-${index}.status`;

/** Shell functions the sidecar lines use (defined once). */
const helperLines = [
  // Tags every line of stdin (a last line without newline too).
  `rs_tag() { while IFS= read -r l || [ -n "$l" ]; do printf '%s%s\\n' "$1" "$l"; done; }`,
  // $1 tag, $2 status file, then argv: stdout and stderr tagged on their own streams.
  'rs_run() { t=$1; f=$2; shift 2; { { "$@"; echo "$?" >"$f"; } 2>&1 1>&3 3>&- | rs_tag "$t" >&2; } 3>&1 | rs_tag "$t"; }',
  // The run step's last line, then the app (this script's pid once it exec'd) is ended.
  `rs_end() { printf '%sExit status %s\\n' "$1" "$(cat "$2" 2>/dev/null || echo 1)"; kill -TERM $$ 2>/dev/null; sleep ${gracefulShutdownS}; kill -KILL $$ 2>/dev/null; }`,
];

/** The start script's lines that start `sidecars` in the background (none: no lines). */
export function sidecarLines(sidecars: readonly SidecarProcess[]): string[] {
  if (sidecars.length === 0) return [];
  return [...helperLines, ...sidecars.map(sidecarLine)];
}

function sidecarLine(sidecar: SidecarProcess, index: number): string {
  const tag = shellQuote(sidecarTag(sidecar.logSource));
  const file = statusFile(index);
  const steps = [
    ...(sidecar.unset.length > 0 ? [`unset ${sidecar.unset.join(" ")}`] : []),
    ...sidecar.set.map((v) => `export ${v.name}=${shellQuote(v.value)}`),
    ...(sidecar.nofile ? [`ulimit -n ${sidecar.nofile} 2>/dev/null`] : []),
    `cd ${shellQuote(sidecar.dir)} 2>/dev/null`,
    `rm -f ${file}`,
    `rs_run ${tag} ${file} ${shellJoin(sidecar.argv)}`,
    `rs_end ${tag} ${file}`,
  ];
  return `( ${steps.join("; ")} ) &`;
}
