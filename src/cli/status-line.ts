import type { Ora } from "ora";
import { formatBytes } from "../diego/messages.js";
import type { ProgressEvent } from "../core/events.js";

/** One live status line under the task output: an ora spinner on a TTY, silent otherwise. */
export interface StatusLine {
  phase(text: string): void;
  /** Runs `write` with the spinner cleared, so log lines scroll above it. */
  above(write: () => void): void;
  onProgress(event: ProgressEvent): void;
  succeed(text: string): void;
  fail(text: string): void;
  stop(): void;
}

export async function createStatusLine(
  stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number },
): Promise<StatusLine> {
  // A terminal of no width (a pty nobody sized, as `script` makes) cannot hold a spinner: ora
  // would count its line as ever more lines and repaint them all on every frame.
  if (!stream.isTTY || !((stream.columns ?? 0) > 0)) return plainStatusLine;
  // Loaded only where a spinner shows: ora and its character-width tables cost ~30 ms of CPU.
  const { default: ora } = await import("ora");
  return new SpinnerStatusLine(ora({ stream, discardStdin: false }));
}

const plainStatusLine: StatusLine = {
  phase: () => undefined,
  above: (write) => write(),
  onProgress: () => undefined,
  succeed: () => undefined,
  fail: () => undefined,
  stop: () => undefined,
};

interface Transfer {
  bytes: number;
  total: number | undefined;
  startedAt: number;
}

class SpinnerStatusLine implements StatusLine {
  private phaseText = "";
  private readonly transfers = new Map<string, Transfer>();

  constructor(private readonly spinner: Ora) {}

  phase(text: string): void {
    this.phaseText = text;
    this.transfers.clear();
    if (!this.spinner.isSpinning) this.spinner.start(text);
    else this.spinner.text = text;
  }

  above(write: () => void): void {
    const spinning = this.spinner.isSpinning;
    if (spinning) this.spinner.clear();
    write();
    if (spinning) this.spinner.render();
  }

  onProgress(event: ProgressEvent): void {
    switch (event.kind) {
      case "download-start":
      case "upload-start":
        this.transfers.set(event.artifact, {
          bytes: 0,
          total: event.totalBytes,
          startedAt: Date.now(),
        });
        break;
      case "download-progress":
      case "upload-progress":
        this.track(event.artifact, event.bytes, event.totalBytes);
        break;
      case "download-done":
      case "upload-done":
        this.transfers.delete(event.artifact);
        break;
      case "phase":
        this.phase(event.name);
        return;
    }
    this.spinner.text = this.describe();
  }

  succeed(text: string): void {
    this.spinner.succeed(text);
  }

  fail(text: string): void {
    this.spinner.fail(text);
  }

  stop(): void {
    this.spinner.stop();
  }

  private track(artifact: string, bytes: number, total: number | undefined): void {
    const transfer = this.transfers.get(artifact) ?? { bytes, total, startedAt: Date.now() };
    this.transfers.set(artifact, { ...transfer, bytes, total: total ?? transfer.total });
  }

  private describe(): string {
    const parts = [...this.transfers].map(([artifact, t]) => {
      const seconds = Math.max((Date.now() - t.startedAt) / 1000, 0.001);
      const rate = `${formatBytes(t.bytes / seconds)}/s`;
      const size = t.total
        ? `${formatBytes(t.bytes)}/${formatBytes(t.total)}`
        : formatBytes(t.bytes);
      return `${artifact} ${size} ${rate}`;
    });
    return parts.length > 0 ? `${this.phaseText}: ${parts.join(", ")}` : this.phaseText;
  }
}
