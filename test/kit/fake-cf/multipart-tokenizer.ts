/**
 * A push tokenizer for multipart/form-data (RFC 7578): feed chunks, get part headers and
 * body bytes back, without ever holding more than one chunk plus a boundary in memory.
 */
export type MultipartEvent =
  /** A part starts; header names are lowercase. */
  | { type: "part"; headers: Record<string, string> }
  | { type: "data"; chunk: Buffer }
  | { type: "partEnd" }
  /** The closing boundary was read; anything after it is ignored. */
  | { type: "end" };

export class MultipartError extends Error {}

type State = "preamble" | "afterBoundary" | "headers" | "body" | "epilogue";

const CRLF = Buffer.from("\r\n");
const HEADERS_END = Buffer.from("\r\n\r\n");
const MAX_HEADER_BYTES = 16 * 1024;

export class MultipartTokenizer {
  readonly #delimiter: Buffer;
  // A leading CRLF lets the first boundary (which has none) match the delimiter.
  #buffer: Buffer = CRLF;
  #state: State = "preamble";

  constructor(boundary: string) {
    this.#delimiter = Buffer.from(`\r\n--${boundary}`);
  }

  push(chunk: Buffer): MultipartEvent[] {
    const events: MultipartEvent[] = [];
    this.#buffer = this.#buffer.length === 0 ? chunk : this.#acrossSeam(chunk, events);
    while (this.#step(events));
    return events;
  }

  /**
   * Reads what was left from the last chunk joined only with the first delimiter-length-1
   * bytes of `chunk` (enough to find a delimiter that starts in what was left), then answers
   * the bytes still to read as a view of `chunk`: a 64 KB body chunk is never copied to be
   * joined with a few leftover bytes. Only a leftover longer than that seam (an unfinished
   * header block) is copied together with the chunk.
   */
  #acrossSeam(chunk: Buffer, events: MultipartEvent[]): Buffer {
    const taken = Math.min(chunk.length, this.#delimiter.length - 1);
    this.#buffer = Buffer.concat([this.#buffer, chunk.subarray(0, taken)]);
    while (this.#step(events));
    const left = this.#buffer.length;
    return left <= taken
      ? chunk.subarray(taken - left)
      : Buffer.concat([this.#buffer, chunk.subarray(taken)]);
  }

  /** Call when the input ended; throws when the closing boundary was never seen. */
  end(): void {
    if (this.#state !== "epilogue") throw new MultipartError("multipart body ended early");
  }

  /** Advances one state; false when more input is needed. */
  #step(events: MultipartEvent[]): boolean {
    switch (this.#state) {
      case "preamble":
        return this.#skipToBoundary();
      case "afterBoundary":
        return this.#readBoundaryEnd(events);
      case "headers":
        return this.#readHeaders(events);
      case "body":
        return this.#readBody(events);
      case "epilogue":
        this.#buffer = Buffer.alloc(0);
        return false;
    }
  }

  #skipToBoundary(): boolean {
    const at = this.#buffer.indexOf(this.#delimiter);
    if (at === -1) {
      this.#buffer = this.#buffer.subarray(
        Math.max(0, this.#buffer.length - this.#delimiter.length + 1),
      );
      return false;
    }
    this.#buffer = this.#buffer.subarray(at + this.#delimiter.length);
    this.#state = "afterBoundary";
    return true;
  }

  #readBoundaryEnd(events: MultipartEvent[]): boolean {
    if (this.#buffer.length < 2) return false;
    const marker = this.#buffer.subarray(0, 2).toString("latin1");
    this.#buffer = this.#buffer.subarray(2);
    if (marker === "--") {
      this.#state = "epilogue";
      events.push({ type: "end" });
    } else if (marker === "\r\n") {
      this.#state = "headers";
    } else {
      throw new MultipartError("malformed multipart boundary line");
    }
    return true;
  }

  #readHeaders(events: MultipartEvent[]): boolean {
    // A part may have no headers at all: its header block is then just the blank line.
    const noHeaders = this.#buffer.subarray(0, 2).equals(CRLF);
    const at = noHeaders ? 0 : this.#buffer.indexOf(HEADERS_END);
    if (at === -1) {
      if (this.#buffer.length > MAX_HEADER_BYTES)
        throw new MultipartError("part headers too large");
      return false;
    }
    const block = this.#buffer.subarray(0, at).toString("utf8");
    this.#buffer = this.#buffer.subarray(noHeaders ? 2 : at + HEADERS_END.length);
    events.push({ type: "part", headers: parseHeaders(block) });
    this.#state = "body";
    return true;
  }

  #readBody(events: MultipartEvent[]): boolean {
    const at = this.#buffer.indexOf(this.#delimiter);
    if (at === -1) {
      const safe = this.#buffer.length - this.#delimiter.length + 1;
      if (safe > 0) {
        events.push({ type: "data", chunk: this.#buffer.subarray(0, safe) });
        this.#buffer = this.#buffer.subarray(safe);
      }
      return false;
    }
    if (at > 0) events.push({ type: "data", chunk: this.#buffer.subarray(0, at) });
    events.push({ type: "partEnd" });
    this.#buffer = this.#buffer.subarray(at + this.#delimiter.length);
    this.#state = "afterBoundary";
    return true;
  }
}

function parseHeaders(block: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of block === "" ? [] : block.split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon <= 0) throw new MultipartError(`malformed part header: ${line}`);
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

/** The `boundary` parameter of a multipart/form-data Content-Type, or undefined. */
export function boundaryOf(contentType: string | undefined): string | undefined {
  if (contentType === undefined || !/^multipart\/form-data\s*;/i.test(contentType))
    return undefined;
  const match = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return match?.[1] ?? match?.[2];
}
