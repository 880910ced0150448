/**
 * Reads the PID line the exec wrapper writes first on stderr (see exec-wrapper.ts) and passes
 * everything after it through. Until the newline arrives, bytes are held back; if the stream
 * ends first (the wrapper never ran), `finish()` releases them and the PID stays unknown.
 */
export class PidLine {
  private held = Buffer.alloc(0);
  private done = false;
  pid: number | undefined;

  /** Returns the bytes that belong to the process's own stderr (possibly empty). */
  push(chunk: Buffer): Buffer {
    if (this.done) return chunk;
    this.held = Buffer.concat([this.held, chunk]);
    const newline = this.held.indexOf(0x0a);
    if (newline < 0) {
      // A PID is at most 7 digits; anything longer is not our line.
      return this.held.length > 32 ? this.giveUp() : Buffer.alloc(0);
    }
    const line = this.held.subarray(0, newline).toString("latin1");
    if (!/^\d+$/.test(line)) return this.giveUp();
    this.pid = Number(line);
    this.done = true;
    const rest = this.held.subarray(newline + 1);
    this.held = Buffer.alloc(0);
    return rest;
  }

  /** Called at end of stream; returns any bytes still held back. */
  finish(): Buffer {
    return this.done ? Buffer.alloc(0) : this.giveUp();
  }

  private giveUp(): Buffer {
    this.done = true;
    const held = this.held;
    this.held = Buffer.alloc(0);
    return held;
  }
}
