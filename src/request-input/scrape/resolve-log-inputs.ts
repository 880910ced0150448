import { statSync } from "node:fs";
import { NoInputError } from "../../errors.js";
import { defaultLogPaths } from "./default-log-paths.js";
import { fileLogInput, streamLogInput, type LogInput } from "./log-input.js";
import { orderRotatedSets, withRotatedSiblings } from "./rotated-files.js";

export interface ResolveLogInputsOptions {
  /** Which component's default paths to try. */
  kind: "task" | "lrp";
  /** --log values, in the order given. */
  files: readonly string[];
  /** Read when no file is given and it is not a terminal. */
  stdin?: (NodeJS.ReadableStream & { isTTY?: boolean }) | undefined;
  /** Replaces defaultLogPaths[kind] (tests). */
  defaultPaths?: readonly string[] | undefined;
}

const commandFor = { task: "build_req", lrp: "launch_req" } as const;

/**
 * Decides what to read: the --log files (rotated sets oldest first), else piped stdin, else the
 * default paths that exist. Fails with NoInputError when a named file is unreadable or nothing
 * is found.
 */
export function resolveLogInputs(options: ResolveLogInputsOptions): LogInput[] {
  if (options.files.length > 0) {
    for (const file of options.files) assertReadableFile(file);
    return orderRotatedSets(options.files).map(fileLogInput);
  }
  if (options.stdin !== undefined && options.stdin.isTTY !== true) {
    return [streamLogInput("stdin", options.stdin)];
  }
  const tried = options.defaultPaths ?? defaultLogPaths[options.kind];
  const found: string[] = [];
  for (const path of tried) found.push(...withRotatedSiblings(path));
  if (found.length > 0) return found.map(fileLogInput);
  const command = commandFor[options.kind];
  throw new NoInputError(
    "No log to read: no --log given, stdin is a terminal, and none of the usual log files exists",
    {
      hint: [
        "Paths tried:",
        ...tried.map((path) => `  ${path}`),
        `Name the log: '${command} --log FILE' (repeatable; rotated .gz files work), or pipe it: 'cat FILE | ${command}'`,
      ].join("\n"),
    },
  );
}

/** Synchronous: a thread-pool round trip costs more than the stat (issue 14). */
function assertReadableFile(path: string): void {
  try {
    const info = statSync(path);
    if (info.isDirectory()) {
      throw new NoInputError(`Log file ${path} is a directory`, {
        hint: "Pass the log file itself, e.g. --log /var/vcap/sys/log/stager/stager.stdout.log",
      });
    }
  } catch (error) {
    if (error instanceof NoInputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "does not exist" : `cannot be read (${code ?? "error"})`;
    throw new NoInputError(`Log file ${path} ${reason}`, {
      hint: "Check the path given to --log",
      cause: error,
    });
  }
}
