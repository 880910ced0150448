import { X509Certificate } from "node:crypto";
import { mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { InvalidInputError } from "../../../src/errors.js";
import { x509Pki } from "../../../src/x509/x509-pki.js";
import { localCaPaths, openLocalCa } from "../../../src/identity/local-ca.js";

let cacheDir: string;
beforeEach(async () => {
  cacheDir = await mkdtemp(join(tmpdir(), "restager-ca-"));
});
afterEach(async () => {
  await rm(cacheDir, { recursive: true, force: true });
});

describe("openLocalCa", () => {
  it("creates the CA on first use with an owner-only key, then reuses it", async () => {
    const cacheRoot = join(cacheDir, "not-yet");
    const first = await openLocalCa({ cacheDir: cacheRoot, pki: x509Pki });
    const paths = localCaPaths(cacheRoot);
    expect((await stat(paths.keyPath)).mode & 0o777).toBe(0o600);
    expect((await stat(paths.dir)).mode & 0o777).toBe(0o700);
    expect(new X509Certificate(first.certPem).ca).toBe(true);
    const second = await openLocalCa({ cacheDir: cacheRoot, pki: x509Pki });
    expect(second.certPem).toBe(first.certPem);
    expect(second.keyPem).toBe(first.keyPem);
  });

  it("gives two concurrent first uses the same CA and leaves no temporary directory", async () => {
    const [a, b, c] = await Promise.all([
      openLocalCa({ cacheDir, pki: x509Pki }),
      openLocalCa({ cacheDir, pki: x509Pki }),
      openLocalCa({ cacheDir, pki: x509Pki }),
    ]);
    expect(b.certPem).toBe(a.certPem);
    expect(c.certPem).toBe(a.certPem);
    const leaf = await b.issue({ commonName: "x", notAfter: new Date(Date.now() + 60_000) });
    expect(new X509Certificate(leaf.certPem).checkIssued(new X509Certificate(a.certPem))).toBe(
      true,
    );
    expect(await readdir(cacheDir)).toEqual(["identity-ca"]);
  });

  it("refuses a damaged CA with a hint instead of replacing it", async () => {
    await openLocalCa({ cacheDir, pki: x509Pki });
    await writeFile(localCaPaths(cacheDir).keyPath, "junk");
    await expect(openLocalCa({ cacheDir, pki: x509Pki })).rejects.toThrow(InvalidInputError);
  });
});
