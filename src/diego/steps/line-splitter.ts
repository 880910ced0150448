import { StringDecoder } from "node:string_decoder";

/**
 * Turns a process's raw output chunks into whole lines, as Diego's log streamer does: splits on
 * `\n`, keeps a partial line until the next chunk or `flush()`, and decodes UTF-8 across chunk
 * boundaries.
 */
export class LineSplitter {
  private readonly decoder = new StringDecoder("utf8");
  private pending = "";

  constructor(private readonly emit: (line: string) => void) {}

  write(chunk: Buffer): void {
    const text = this.pending + this.decoder.write(chunk);
    const lines = text.split("\n");
    this.pending = lines.pop() ?? "";
    for (const line of lines) this.emit(line);
  }

  /** Emits what is left (a last line without `\n`); call once the stream ended. */
  flush(): void {
    const rest = this.pending + this.decoder.end();
    this.pending = "";
    if (rest !== "") this.emit(rest);
  }
}
