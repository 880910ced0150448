/**
 * What the demo prints: one header per step (`==> [n/6] <what> ...`), indented details and
 * streamed command output under it, and `done in 1.2s` (or the failure) when the step ends.
 */

export type Write = (text: string) => void;

export class StepPrinter {
  #step = 0;

  constructor(
    readonly total: number,
    private readonly write: Write = (text) => process.stdout.write(text),
  ) {}

  /** Runs `body` as the next step, timed; rethrows its error after printing it. */
  async step<T>(title: string, body: () => Promise<T>): Promise<T> {
    this.#step += 1;
    this.write(`==> [${this.#step}/${this.total}] ${title} ...\n`);
    const started = performance.now();
    try {
      const result = await body();
      this.detail(`done in ${seconds(performance.now() - started)}`);
      return result;
    } catch (error) {
      this.detail(`FAILED after ${seconds(performance.now() - started)}`);
      throw error;
    }
  }

  /** An indented line under the current step. */
  detail(line: string): void {
    this.write(`    ${line}\n`);
  }

  /** A line a command printed, marked with the stream it came from. */
  commandLine(stream: "stdout" | "stderr", line: string): void {
    this.write(`    ${stream === "stderr" ? "|" : ">"} ${line}\n`);
  }

  /** An unindented line outside the steps. */
  line(text = ""): void {
    this.write(`${text}\n`);
  }
}

/** `1.2s` */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}
