/**
 * Splits Docker's multiplexed attach stream (non-TTY exec/attach) into stdout and stderr.
 * Each frame is an 8-byte header — stream type (0 stdin, 1 stdout, 2 stderr), three zero
 * bytes, the payload size as a big-endian uint32 — followed by the payload. Frames arrive
 * split and merged arbitrarily across chunks; payloads are delivered as soon as their bytes
 * arrive, so a large frame is not held back until it is complete.
 */
export interface FrameSink {
  stdout(chunk: Buffer): void;
  stderr(chunk: Buffer): void;
}

const headerBytes = 8;

export class DockerFrames {
  private header = Buffer.alloc(0);
  private stream = 0;
  private remaining = 0;

  constructor(private readonly sink: FrameSink) {}

  push(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.remaining === 0) {
        offset = this.readHeader(chunk, offset);
        continue;
      }
      const take = Math.min(this.remaining, chunk.length - offset);
      this.deliver(chunk.subarray(offset, offset + take));
      this.remaining -= take;
      offset += take;
    }
  }

  /** True when the stream stopped in the middle of a frame (the engine cut it short). */
  get truncated(): boolean {
    return this.remaining > 0 || this.header.length > 0;
  }

  private readHeader(chunk: Buffer, offset: number): number {
    const need = headerBytes - this.header.length;
    const part = chunk.subarray(offset, offset + need);
    this.header = this.header.length === 0 ? Buffer.from(part) : Buffer.concat([this.header, part]);
    if (this.header.length === headerBytes) {
      this.stream = this.header.readUInt8(0);
      this.remaining = this.header.readUInt32BE(4);
      this.header = Buffer.alloc(0);
    }
    return offset + part.length;
  }

  private deliver(payload: Buffer): void {
    // Copy: the sink may keep the chunk after the socket reuses its buffer.
    const copy = Buffer.from(payload);
    if (this.stream === 2) this.sink.stderr(copy);
    else this.sink.stdout(copy);
  }
}
