import type { StatusLine } from "./status-line.js";

/** The process's streams and env (tests pass their own). */
export interface CliIo {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
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

export function createOutput(options: CliIo & { verbose: boolean; json: boolean }): Output {
  const { stdout, stderr } = options;
  ignoreClosedPipe(stdout);
  const line = (stream: NodeJS.WritableStream, text: string) =>
    stream.write(text.endsWith("\n") ? text : `${text}\n`);
  return {
    verbose: options.verbose,
    json: options.json,
    isTty: Boolean(stderr.isTTY),
    stdoutIsTty: Boolean(stdout.isTTY),
    // A getter: process.stdin is created on first access (10–20 ms), and most runs never read it.
    get stdin() {
      return options.stdin;
    },
    env: options.env,
    exitCode: 0,
    result: (text) => line(stdout, text),
    info: (text) => line(stderr, text),
    warn: (text) => line(stderr, `Warning: ${text}`),
    error: (text) => line(stderr, text),
    statusLine: async () => (await import("./status-line.js")).createStatusLine(stderr),
    debug: (event, data) => {
      if (options.verbose)
        line(stderr, `[debug] ${event}${data ? ` ${JSON.stringify(data)}` : ""}`);
    },
  };
}

/** `restager ... | head` closes stdout early: that ends the output, it is not an error. */
function ignoreClosedPipe(stream: NodeJS.WritableStream): void {
  if (stream.listenerCount("error") > 0) return;
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
  });
}
