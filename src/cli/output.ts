import { fstatSync, writeSync } from "node:fs";
import { CannotWriteError, writeFailureReason } from "../errors.js";
import type { StatusLine } from "./status-line.js";

/** The process's streams and env (tests pass their own). */
export interface CliIo {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  /**
   * The descriptors of stdout and stderr, when they are the process's own: results are then
   * written to stdout's directly and terminals are told by isatty, so that a run printing
   * nothing else never creates process.stdout or process.stderr (for pipes, a few milliseconds
   * of a scrape's start-up: issue 14 goal 4). The streams are read on first use only.
   */
  fds?: { stdout: number; stderr: number } | undefined;
}

/**
 * The only writer to the terminal. stdout carries results (request JSON, plans, --json);
 * stderr carries progress, warnings and errors, so pipes like `build_req | restage` stay clean.
 */
export interface Output {
  readonly verbose: boolean;
  readonly json: boolean;
  /** Whether stderr (progress) is a terminal: spinners and colour. */
  readonly isTty: boolean;
  /** Whether stdout (results) is a terminal: headers on tables. */
  readonly stdoutIsTty: boolean;
  readonly stdin: NodeJS.ReadableStream;
  readonly env: NodeJS.ProcessEnv;
  /** Exit code a command asks for without throwing (e.g. a failed task already reported). */
  exitCode: number;
  /** Writes a result line to stdout. */
  result(text: string): void;
  /** Writes progress to stderr. */
  info(text: string): void;
  warn(text: string): void;
  error(text: string): void;
  /**
   * A live status line on stderr: an ora spinner on a TTY, silent otherwise. Loaded on first
   * use, so commands without one (help, build-req) do not import the spinner.
   */
  statusLine(): Promise<StatusLine>;
  /** Diagnostics, only with --verbose. */
  debug(event: string, data?: Record<string, unknown>): void;
}

/** Reads `options.stdout` and `options.stderr` only when it writes to them (see CliIo.fds). */
export function createOutput(options: CliIo & { verbose: boolean; json: boolean }): Output {
  const { fds } = options;
  const stderr = () => options.stderr;
  const line = (stream: NodeJS.WritableStream, text: string) => stream.write(withNewline(text));
  const result = fds
    ? descriptorWriter(fds.stdout, () => options.stdout)
    : streamWriter(options.stdout);
  return {
    verbose: options.verbose,
    json: options.json,
    isTty: fds ? isTerminal(fds.stderr) : Boolean(options.stderr.isTTY),
    stdoutIsTty: fds ? isTerminal(fds.stdout) : Boolean(options.stdout.isTTY),
    // A getter: process.stdin is created on first access (10–20 ms), and most runs never read it.
    get stdin() {
      return options.stdin;
    },
    env: options.env,
    exitCode: 0,
    result: (text) => result(withNewline(text)),
    info: (text) => line(stderr(), text),
    warn: (text) => line(stderr(), `Warning: ${text}`),
    error: (text) => line(stderr(), text),
    statusLine: async () => (await import("./status-line.js")).createStatusLine(stderr()),
    debug: (event, data) => {
      if (options.verbose)
        line(stderr(), `[debug] ${event}${data ? ` ${JSON.stringify(data)}` : ""}`);
    },
  };
}

/**
 * Whether `fd` is a terminal. Files and pipes, what scripts and the bench give, are told by
 * fstat alone: node:tty loads node:net, a few milliseconds of start-up.
 */
function isTerminal(fd: number): boolean {
  try {
    if (!fstatSync(fd).isCharacterDevice()) return false;
  } catch {
    return false;
  }
  return process.getBuiltinModule("node:tty").isatty(fd);
}

function withNewline(text: string): string {
  return text.endsWith("\n") ? text : `${text}\n`;
}

function streamWriter(stream: NodeJS.WritableStream): (text: Buffer | string) => void {
  ignoreClosedPipe(stream);
  return (text) => void stream.write(text);
}

/**
 * Writes to `fd` synchronously, as Node writes to a file or pipe on stdout (a terminal too
 * blocks). A descriptor set non-blocking by whoever opened it may refuse a write (EAGAIN): the
 * rest then goes through the stream, which waits. A closed pipe ends the output, as
 * ignoreClosedPipe does for the stream.
 */
function descriptorWriter(fd: number, stream: () => NodeJS.WritableStream): (text: string) => void {
  let fallback: ((text: Buffer | string) => void) | undefined;
  let closed = false;
  return (text) => {
    if (fallback) return fallback(text);
    if (closed) return;
    const bytes = Buffer.from(text, "utf8");
    let done = 0;
    try {
      while (done < bytes.length) done += writeSync(fd, bytes, done);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "EPIPE") {
        closed = true;
        return;
      }
      if (code !== "EAGAIN") throw cannotWriteOutput(error);
      fallback = streamWriter(stream());
      fallback(bytes.subarray(done));
    }
  };
}

/** Standard output refused a write (a full disk, a quota, an I/O error): the user's to fix. */
function cannotWriteOutput(error: unknown): CannotWriteError {
  return new CannotWriteError(`Cannot write to standard output: ${writeFailureReason(error)}`, {
    hint: "Free space where standard output goes, or redirect it elsewhere",
    cause: error,
  });
}

/** `restager ... | head` closes stdout early: that ends the output, it is not an error. */
function ignoreClosedPipe(stream: NodeJS.WritableStream): void {
  if (stream.listenerCount("error") > 0) return;
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
  });
}
