import type { TaskLog } from "../../diego/task-log.js";
import type { ProgressEvent } from "../../core/events.js";

/** Keeps the last lines written through a TaskLog (all sources), for failure reports. */
export class OutputTail {
  private readonly lines: string[] = [];

  constructor(private readonly limit: number) {}

  wrap(log: TaskLog): TaskLog {
    const record = (line: string) => {
      this.lines.push(`[${log.source}] ${line}`);
      if (this.lines.length > this.limit) this.lines.shift();
    };
    return {
      source: log.source,
      withSource: (source) => this.wrap(log.withSource(source)),
      out: (line) => {
        record(line);
        log.out(line);
      },
      err: (line) => {
        record(line);
        log.err(line);
      },
      progress: (event: ProgressEvent) => log.progress?.(event),
    };
  }

  last(count: number): string[] {
    return this.lines.slice(-count);
  }
}
