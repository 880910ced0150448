import { X509Certificate } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { identityIssuer } from "../../../src/cli/identity-issuer.js";
import { openLocalCa } from "../../../src/identity/local-ca.js";
import type { CertificateAuthority, KeyType } from "../../../src/pki/ports.js";
import { x509Pki } from "../../../src/x509/x509-pki.js";
import { countingWarmUps } from "../../kit/counting-ca.js";

const request = {
  containerGuid: "0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9",
  containerIp: "172.17.0.9",
  organizationalUnits: ["app:a"],
};

/** The CA of `cacheDir`, counting the keys it is asked to make ahead. */
function countingCa(warmed: KeyType[]) {
  return async (cacheDir: string): Promise<CertificateAuthority> =>
    countingWarmUps(await openLocalCa({ cacheDir, pki: x509Pki }), warmed);
}

describe("identityIssuer", () => {
  let cacheDir = "";
  beforeAll(async () => {
    cacheDir = await mkdtemp(join(tmpdir(), "restager-issuer-"));
  });
  afterAll(async () => {
    await rm(cacheDir, { recursive: true, force: true });
  });

  it("issues with the cache directory's CA, the first with a key made ahead once prepared", async () => {
    const warmed: KeyType[] = [];
    const issuer = identityIssuer(cacheDir, { openCa: countingCa(warmed) });
    issuer.prepare?.();
    issuer.prepare?.();
    const identity = await issuer.issue(request);
    expect(warmed).toEqual(["rsa-2048"]);
    const ca = await openLocalCa({ cacheDir, pki: x509Pki });
    const leaf = new X509Certificate(identity.certPem);
    expect(leaf.checkIssued(new X509Certificate(ca.certPem))).toBe(true);
    expect(identity.certPem.endsWith(ca.certPem)).toBe(true);
    expect(leaf.subject).toBe(`OU=app:a\nCN=${request.containerGuid}`);
    issuer.close?.();
  }, 30_000);

  it("makes no key ahead unless prepared (a run that fails first exits at once)", async () => {
    const warmed: KeyType[] = [];
    const issuer = identityIssuer(cacheDir, { openCa: countingCa(warmed) });
    await issuer.issue(request);
    expect(warmed).toEqual([]);
  }, 30_000);

  it("makes no key ahead once closed before the CA is open (it would hold the exit back), and still issues", async () => {
    const warmed: KeyType[] = [];
    const issuer = identityIssuer(cacheDir, { openCa: countingCa(warmed) });
    issuer.prepare?.();
    issuer.close?.();
    const identity = await issuer.issue(request);
    expect(warmed).toEqual([]);
    expect(identity.keyPem).toMatch(/^-----BEGIN RSA PRIVATE KEY-----\n/);
  }, 30_000);

  it("fails every issue() with the CA's error", async () => {
    const issuer = identityIssuer(cacheDir, { openCa: () => Promise.reject(new Error("no CA")) });
    await expect(issuer.issue(request)).rejects.toThrow("no CA");
    await expect(issuer.issue(request)).rejects.toThrow("no CA");
  });
});
