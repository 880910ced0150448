/**
 * The few DER (ITU-T X.690) encodings a certificate needs, and a reader for the parts of an
 * existing certificate the CA reuses (its subject, its key identifier). Only definite lengths
 * and single-byte tags: all an X.509 certificate uses.
 */

/** Tags (class and constructed bits included). */
export const tag = {
  boolean: 0x01,
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  null: 0x05,
  oid: 0x06,
  utf8String: 0x0c,
  printableString: 0x13,
  utcTime: 0x17,
  generalizedTime: 0x18,
  sequence: 0x30,
  set: 0x31,
} as const;

/** A context-specific tag: `[n]`, primitive or constructed. */
export function contextTag(n: number, constructed: boolean): number {
  return 0x80 | (constructed ? 0x20 : 0) | n;
}

export function tlv(tagByte: number, ...contents: readonly Uint8Array[]): Buffer {
  const body = Buffer.concat(contents);
  return Buffer.concat([Buffer.from([tagByte]), lengthOf(body.length), body]);
}

function lengthOf(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export const sequence = (...items: readonly Uint8Array[]): Buffer => tlv(tag.sequence, ...items);

/** A SET OF: its members ordered by their encodings, as DER asks. */
export function setOf(...items: readonly Uint8Array[]): Buffer {
  return tlv(tag.set, ...[...items].sort((a, b) => Buffer.compare(a, b)));
}

export const derTrue = tlv(tag.boolean, Buffer.from([0xff]));
export const derNull = tlv(tag.null);

/** An unsigned big-endian integer, minimally encoded (a leading 0 only before a high bit). */
export function unsignedInteger(bytes: Uint8Array): Buffer {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start += 1;
  const value = Buffer.from(bytes.subarray(start));
  const sign = (value[0] ?? 0) & 0x80 ? Buffer.from([0]) : Buffer.alloc(0);
  return tlv(tag.integer, sign, value);
}

export function oid(dotted: string): Buffer {
  const [first = 0, second = 0, ...rest] = dotted.split(".").map(Number);
  const bytes = [first * 40 + second];
  for (const arc of rest) {
    const base128 = [arc & 0x7f];
    for (let high = Math.floor(arc / 128); high > 0; high = Math.floor(high / 128)) {
      base128.unshift(0x80 | (high & 0x7f));
    }
    bytes.push(...base128);
  }
  return tlv(tag.oid, Buffer.from(bytes));
}

export function bitString(bytes: Uint8Array, unusedBits = 0): Buffer {
  return tlv(tag.bitString, Buffer.from([unusedBits]), bytes);
}

export const octetString = (bytes: Uint8Array): Buffer => tlv(tag.octetString, bytes);

/**
 * A named bit list (keyUsage): bit 0 is the high bit of the first byte; trailing zero bits are
 * left out, as DER asks.
 */
export function namedBits(bits: readonly number[]): Buffer {
  const highest = Math.max(-1, ...bits);
  const bytes = Buffer.alloc(Math.floor(highest / 8) + 1);
  for (const bit of bits) bytes[bit >> 3] = (bytes[bit >> 3] ?? 0) | (0x80 >> (bit & 7));
  const unused = highest < 0 ? 0 : 7 - (highest & 7);
  return bitString(highest < 0 ? Buffer.alloc(0) : bytes, unused);
}

/**
 * X.509 time: UTCTime up to 2049, GeneralizedTime from 2050 (RFC 5280 §4.1.2.5), whole
 * seconds (milliseconds dropped).
 */
export function time(date: Date): Buffer {
  const iso = date.toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ
  const digits = iso.slice(0, 19).replace(/[-T:]/g, "") + "Z";
  if (date.getUTCFullYear() < 2050) return tlv(tag.utcTime, Buffer.from(digits.slice(2)));
  return tlv(tag.generalizedTime, Buffer.from(digits));
}

/**
 * A directory string as Go's encoding/asn1 picks it: PrintableString when every character is
 * in its set, else UTF8String.
 */
export function directoryString(text: string): Buffer {
  const printable = /^[A-Za-z0-9 '()+,\-./:=?]*$/.test(text);
  return tlv(printable ? tag.printableString : tag.utf8String, Buffer.from(text, "utf8"));
}

/** One element read from a DER buffer. */
export interface DerElement {
  tag: number;
  /** The whole element, header included. */
  der: Buffer;
  content: Buffer;
}

/** The elements that follow one another in `buffer` (the content of a constructed element). */
export function readElements(buffer: Buffer): DerElement[] {
  const elements: DerElement[] = [];
  let offset = 0;
  while (offset < buffer.length) {
    const element = readElement(buffer, offset);
    elements.push(element);
    offset += element.der.length;
  }
  return elements;
}

export function readElement(buffer: Buffer, offset = 0): DerElement {
  const tagByte = byteAt(buffer, offset);
  let length = byteAt(buffer, offset + 1);
  let header = 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4) throw new Error(`DER: unsupported length at ${offset}`);
    length = 0;
    for (let i = 0; i < count; i += 1) length = length * 256 + byteAt(buffer, offset + 2 + i);
    header += count;
  }
  const end = offset + header + length;
  if (end > buffer.length) throw new Error(`DER: element at ${offset} runs past the end`);
  return {
    tag: tagByte,
    der: buffer.subarray(offset, end),
    content: buffer.subarray(offset + header, end),
  };
}

function byteAt(buffer: Buffer, offset: number): number {
  const value = buffer[offset];
  if (value === undefined) throw new Error(`DER: truncated at ${offset}`);
  return value;
}
