/** Reading an app container's logs: Docker's multiplexed frames turned into LogLines. */
import { StringDecoder } from "node:string_decoder";
import type { Readable } from "node:stream";
import type Docker from "dockerode";
import type { LogLine } from "./app-runtime.js";
import { DockerFrames } from "./docker-frames.js";

/** Splits frame payloads into lines, per stream, keeping each stream's partial last line. */
class LogLineSplitter {
  private readonly pending = { out: "", err: "" };
  private readonly decoders = { out: new StringDecoder("utf8"), err: new StringDecoder("utf8") };
  readonly frames: DockerFrames;

  constructor(private readonly emit: (line: LogLine) => void) {
    this.frames = new DockerFrames({
      stdout: (chunk) => this.write("out", chunk),
      stderr: (chunk) => this.write("err", chunk),
    });
  }

  flush(): void {
    for (const stream of ["out", "err"] as const) {
      const rest = this.pending[stream] + this.decoders[stream].end();
      this.pending[stream] = "";
      if (rest !== "") this.emit({ stream, text: rest });
    }
  }

  private write(stream: "out" | "err", chunk: Buffer): void {
    const lines = (this.pending[stream] + this.decoders[stream].write(chunk)).split("\n");
    this.pending[stream] = lines.pop() ?? "";
    for (const text of lines) this.emit({ stream, text: text.replace(/\r$/, "") });
  }
}

export async function tailContainerLogs(
  container: Docker.Container,
  count: number,
): Promise<LogLine[]> {
  const raw: Buffer = await container.logs({
    stdout: true,
    stderr: true,
    follow: false,
    tail: count,
  });
  const lines: LogLine[] = [];
  const splitter = new LogLineSplitter((line) => lines.push(line));
  splitter.frames.push(Buffer.isBuffer(raw) ? raw : Buffer.from(String(raw)));
  splitter.flush();
  return lines.slice(-count);
}

/** Resolves when the log stream ends (the container stopped) or `signal` aborted. */
export async function followContainerLogs(
  container: Docker.Container,
  onLine: (line: LogLine) => void,
  signal: AbortSignal,
): Promise<void> {
  if (signal.aborted) return;
  const stream = (await container.logs({
    stdout: true,
    stderr: true,
    follow: true,
  })) as unknown as Readable;
  const splitter = new LogLineSplitter(onLine);
  const abort = () => stream.destroy();
  signal.addEventListener("abort", abort, { once: true });
  try {
    await new Promise<void>((resolve) => {
      stream.on("data", (chunk: Buffer) => splitter.frames.push(chunk));
      stream.on("end", resolve);
      stream.on("close", resolve);
      stream.on("error", () => resolve());
    });
  } finally {
    signal.removeEventListener("abort", abort);
    splitter.flush();
  }
}
