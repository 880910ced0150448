import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { InvalidInputError } from "../../../src/errors.js";
import {
  readCertificateDir,
  readCertificateDirLater,
} from "../../../src/restage/system-certificates.js";

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "trusted-certs-"));
  await writeFile(join(dir, "b-corp.pem"), "B");
  await writeFile(join(dir, "a-root.pem"), "A");
  await writeFile(join(dir, ".hidden.pem"), "hidden");
  await symlink("a-root.pem", join(dir, "3513523f.0")); // OpenSSL's hash link
  await symlink("a-root.pem", join(dir, "c-link.pem")); // a link to a certificate counts
  await symlink("missing.pem", join(dir, "d-dangling.pem"));
  await mkdir(join(dir, "e-subdir"));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const expected = [
  { name: "a-root.pem", content: Buffer.from("A") },
  { name: "b-corp.pem", content: Buffer.from("B") },
  { name: "c-link.pem", content: Buffer.from("A") },
];

describe("reading a trusted certificates directory", () => {
  it("reads its regular files by name, following links, without hidden files and hash links", async () => {
    expect(await readCertificateDir(dir)).toEqual(expected);
  });

  it("later: names the candidates at once and reads the same files in the background", async () => {
    const pending = await readCertificateDirLater(dir);
    expect(pending.names).toEqual([
      "a-root.pem",
      "b-corp.pem",
      "c-link.pem",
      "d-dangling.pem",
      "e-subdir",
    ]);
    expect(await pending.files).toEqual(expected);
  });

  it("names a directory it cannot read, either way", async () => {
    const missing = join(dir, "nowhere");
    const message = `Cannot read the trusted certificates directory ${missing}`;
    await expect(readCertificateDir(missing)).rejects.toThrow(message);
    const later = readCertificateDirLater(missing);
    await expect(later).rejects.toBeInstanceOf(InvalidInputError);
    await expect(later).rejects.toThrow(message);
  });
});
