import { writeSync } from "node:fs";
import { CancelledError, interruptExitCodes, type InterruptSignalName } from "../errors.js";

export interface InterruptSignal {
  signal: AbortSignal;
  /** Which signal arrived, if any. */
  received(): InterruptSignalName | undefined;
  dispose(): void;
}

export interface InterruptOptions {
  /**
   * A second signal arrived while the run was still cleaning up: the lines saying what is left
   * and how to remove it (printed before restager exits at once).
   */
  leftovers?: (() => string[]) | undefined;
  /** How to exit on a second signal (tests); default: write to stderr, process.exit. */
  abandon?: ((lines: string[], exitCode: number) => void) | undefined;
}

/** Every signal a terminal, a supervisor or a closed SSH session sends to end a process. */
export const interruptSignals = Object.keys(interruptExitCodes) as InterruptSignalName[];

/**
 * Turns the first SIGINT, SIGTERM, SIGHUP or SIGQUIT into an abort (the run stops its processes
 * and removes its containers in `finally` blocks, then exits 128 + the signal's number). A
 * second one while that cleanup runs exits at once, with the same code, after saying what is
 * left: giving up silently would leave the user guessing.
 */
export function interruptSignal(
  onInterrupt?: (signal: InterruptSignalName) => void,
  options: InterruptOptions = {},
): InterruptSignal {
  const controller = new AbortController();
  let received: InterruptSignalName | undefined;
  const handler = (signal: NodeJS.Signals) => {
    const name = signal as InterruptSignalName;
    if (received !== undefined) {
      abandonCleanup(name, options);
      return;
    }
    received = name;
    onInterrupt?.(name);
    controller.abort(new CancelledError(`Interrupted by ${name}`, { signal: name }));
  };
  for (const name of interruptSignals) process.on(name, handler);
  const dispose = () => {
    for (const name of interruptSignals) process.off(name, handler);
  };
  return { signal: controller.signal, received: () => received, dispose };
}

function abandonCleanup(signal: InterruptSignalName, options: InterruptOptions): void {
  const lines = [
    `Received ${signal} again: exiting before the cleanup finished`,
    ...(options.leftovers?.() ?? []),
  ];
  const code = interruptExitCodes[signal];
  (options.abandon ?? exitNow)(lines, code);
}

/** Synchronous writes: the process ends right after, with nothing left to flush. */
function exitNow(lines: string[], exitCode: number): void {
  try {
    writeSync(2, lines.map((line) => `${line}\n`).join(""));
  } finally {
    process.exit(exitCode);
  }
}
