import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kernelAfterBytes } from "../../../../src/request-input/scrape/candidate-finder.js";
import { fileLogInput } from "../../../../src/request-input/scrape/log-input.js";

let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "restager-log-input-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/**
 * Every byte `open` yields, the sizes `blockFor` was asked for, and how many chunks lay in the
 * buffer it gave.
 */
async function readAll(bytes: Buffer): Promise<{ read: Buffer; asked: number[]; inBlock: number }> {
  const path = join(dir, `log-${bytes.length}`);
  await writeFile(path, bytes);
  const asked: number[] = [];
  let given: ArrayBufferLike | undefined;
  const blockFor = (size: number) => {
    asked.push(size);
    const block = Buffer.alloc(size);
    given = block.buffer;
    return block;
  };
  const chunks: Buffer[] = [];
  let inBlock = 0;
  for await (const chunk of await fileLogInput(path).open(undefined, blockFor)) {
    if ((chunk as Buffer).buffer === given) inBlock++;
    chunks.push(Buffer.from(chunk as Buffer));
  }
  return { read: Buffer.concat(chunks), asked, inBlock };
}

/** `length` bytes of a repeating pattern, so that a misplaced block shows. */
function patterned(length: number): Buffer {
  const bytes = Buffer.alloc(length);
  for (let i = 0; i < bytes.length; i++) bytes[i] = i % 251;
  return bytes;
}

describe("fileLogInput", () => {
  it("reads a small plain file without asking for the kernel's block", async () => {
    const bytes = Buffer.from("a\n".repeat(300_000));
    const { read, asked } = await readAll(bytes);
    expect(read.equals(bytes)).toBe(true);
    expect(asked).toEqual([]);
  });

  it("reads a file of kernelAfterBytes without asking for the kernel's block", async () => {
    const bytes = patterned(kernelAfterBytes);
    const { read, asked } = await readAll(bytes);
    expect(read.equals(bytes)).toBe(true);
    expect(asked).toEqual([]);
  });

  it("reads a larger file into the block it asks for once, from its first byte", async () => {
    const bytes = patterned(kernelAfterBytes + 3 * 1024 * 1024 + 17);
    const { read, asked, inBlock } = await readAll(bytes);
    expect(read.equals(bytes)).toBe(true);
    expect(asked).toEqual([1024 * 1024]);
    expect(inBlock).toBe(Math.ceil(bytes.length / (1024 * 1024)));
  });
});
