/** Tar's block framing, shared by the archive adapter and code that assembles tar streams. */

/** Two zero blocks end a tar stream. */
export const tarEnd = Buffer.alloc(1024);

/** Zero bytes that pad a body of `size` bytes to a whole block. */
export function tarPadding(size: number): Buffer {
  const rest = size % 512;
  return Buffer.alloc(rest === 0 ? 0 : 512 - rest);
}
