import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CancelledError } from "../../../src/errors.js";
import { fileDigestsOnWorker } from "../../../src/image/file-digests.js";

let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "restager-digests-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("fileDigestsOnWorker", () => {
  it("gives the file's size, md5 and sha256, as hashing it here would", async () => {
    const bytes = randomBytes(3 * 1024 * 1024 + 7);
    const file = join(dir, "some.bin");
    await writeFile(file, bytes);
    expect(await fileDigestsOnWorker(file)).toEqual({
      sizeBytes: bytes.length,
      md5Hex: createHash("md5").update(bytes).digest("hex"),
      sha256Hex: createHash("sha256").update(bytes).digest("hex"),
    });
  });

  it("rejects with the reason when the file cannot be read", async () => {
    await expect(fileDigestsOnWorker(join(dir, "missing.bin"))).rejects.toThrow(/ENOENT/);
  });

  it("ends the worker and rejects with our cancellation when aborted", async () => {
    const file = join(dir, "abort.bin");
    await writeFile(file, randomBytes(1024));
    const stop = new AbortController();
    const digests = fileDigestsOnWorker(file, stop.signal);
    stop.abort();
    await expect(digests).rejects.toBeInstanceOf(CancelledError);
    await expect(fileDigestsOnWorker(file, stop.signal)).rejects.toBeInstanceOf(CancelledError);
  });
});
