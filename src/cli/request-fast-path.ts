/**
 * `build-req` / `launch-req` without yargs: loading the parser cost about a third of a small
 * scrape's start-up (issue 14 goal 3). The usual spellings — `--log F` (repeatable), `--app A`,
 * `--list`, `--all`, `--json`, `--verbose` / `-v`, each also as `--name=value` — are read here
 * and run the same handler; anything else (help, a positional, a missing or dash-led value,
 * a repeated or negated flag, --list with --all, `--`) returns undefined and goes through
 * yargs, so every message and exit code stays the parser's.
 */
import type { RequestArgs } from "./commands/build-req.js";
import type { CliIo } from "./output.js";

export interface FastRequest {
  command: "build-req" | "launch-req";
  args: RequestArgs;
  verbose: boolean;
  json: boolean;
}

const valued = new Set(["log", "app"]);
const flags = new Set(["list", "all", "json", "verbose"]);

/** The request command argv asks for, when it is one of the spellings read here. */
export function parseFastRequest(argv: readonly string[]): FastRequest | undefined {
  const [command, ...rest] = argv;
  if (command !== "build-req" && command !== "launch-req") return undefined;
  const logs: string[] = [];
  const seen = new Set<string>();
  let app: string | undefined;
  for (let index = 0; index < rest.length; index++) {
    const token = rest[index] as string;
    const option = optionOf(token);
    if (option === undefined || (option.name !== "log" && seen.has(option.name))) return undefined;
    seen.add(option.name);
    if (!valued.has(option.name)) {
      if (option.value !== undefined) return undefined;
      continue;
    }
    const value = option.value ?? rest[++index];
    if (value === undefined || value === "" || value.startsWith("-")) return undefined;
    if (option.name === "log") logs.push(value);
    else app = value;
  }
  if (seen.has("list") && seen.has("all")) return undefined;
  const args: RequestArgs = { app, list: seen.has("list"), all: seen.has("all") };
  if (logs.length > 0) args.log = logs;
  if (seen.has("json")) args.json = true;
  return { command, args, verbose: seen.has("verbose"), json: seen.has("json") };
}

/** `--name`, `--name=value` or `-v` of a known option; undefined for anything else. */
function optionOf(token: string): { name: string; value?: string } | undefined {
  if (token === "-v") return { name: "verbose" };
  if (!token.startsWith("--")) return undefined;
  const equals = token.indexOf("=");
  const name = equals < 0 ? token.slice(2) : token.slice(2, equals);
  if (!valued.has(name) && !flags.has(name)) return undefined;
  return equals < 0 ? { name } : { name, value: token.slice(equals + 1) };
}

/**
 * The process's own streams, each created on first access: only a run without --log reads
 * stdin, and results go to descriptor 1 (CliIo.fds).
 */
export function processIo(): CliIo {
  return {
    get stdin() {
      return process.stdin;
    },
    get stdout() {
      return process.stdout;
    },
    get stderr() {
      return process.stderr;
    },
    env: process.env,
    fds: { stdout: 1, stderr: 2 },
  };
}

/** Runs a parsed request command as main() would, and returns the exit code. */
export async function runFastRequest(request: FastRequest, io: CliIo): Promise<number> {
  const [{ createOutput }, { requestHandler }] = await Promise.all([
    import("./output.js"),
    import("./commands/build-req.js"),
  ]);
  const { verbose, json } = request;
  // Not spread: the streams may be getters that create them (processIo), read only when used.
  const output = createOutput({
    env: io.env,
    fds: io.fds,
    verbose,
    json,
    get stdin() {
      return io.stdin;
    },
    get stdout() {
      return io.stdout;
    },
    get stderr() {
      return io.stderr;
    },
  });
  try {
    const family = request.command === "build-req" ? "task" : "lrp";
    await requestHandler(output, family)(request.args);
    return Number(process.exitCode ?? 0) || output.exitCode;
  } catch (error) {
    const { reportError } = await import("./report-error.js");
    return reportError(error, output);
  }
}
