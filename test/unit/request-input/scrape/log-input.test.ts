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

/** Every byte `open` yields, and the sizes `blockFor` was asked for. */
async function readAll(bytes: Buffer): Promise<{ read: Buffer; asked: number[] }> {
  const path = join(dir, `log-${bytes.length}`);
  await writeFile(path, bytes);
  const asked: number[] = [];
  const blockFor = (size: number) => {
    asked.push(size);
    return Buffer.alloc(size);
  };
  const chunks: Buffer[] = [];
  for await (const chunk of await fileLogInput(path).open(undefined, blockFor)) {
    chunks.push(Buffer.from(chunk as Buffer));
  }
  return { read: Buffer.concat(chunks), asked };
}

describe("fileLogInput", () => {
  it("reads a small plain file without asking for the kernel's block", async () => {
    const bytes = Buffer.from("a\n".repeat(300_000));
    const { read, asked } = await readAll(bytes);
    expect(read.equals(bytes)).toBe(true);
    expect(asked).toEqual([]);
  });

  it("reads past kernelAfterBytes into the block it asks for once", async () => {
    const bytes = Buffer.alloc(kernelAfterBytes + 3 * 1024 * 1024 + 17);
    for (let i = 0; i < bytes.length; i++) bytes[i] = i % 251;
    const { read, asked } = await readAll(bytes);
    expect(read.equals(bytes)).toBe(true);
    expect(asked).toEqual([1024 * 1024]);
  });
});
