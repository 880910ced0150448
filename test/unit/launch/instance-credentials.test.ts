import { X509Certificate } from "node:crypto";
import { describe, expect, it } from "vitest";
import { planApp } from "../../../src/launch/app-plan.js";
import { cellFilesTar } from "../../../src/launch/instance-credentials.js";
import { planInstance } from "../../../src/launch/instance-plan.js";
import { startScript } from "../../../src/launch/start-script.js";
import { lrpFixture } from "../../kit/fixture-files.js";
import { readTarEntries } from "../../kit/read-tar.js";
import { caIssuer } from "../../../src/identity/instance-identity.js";
import { x509Pki } from "../../../src/x509/x509-pki.js";
import { TarArchives } from "../../../src/archive/tar-archives.js";
import { launchOptions } from "../../kit/launch-options.js";
import { pendingCertificates } from "../../kit/pending-certificates.js";

const options = launchOptions();
const trustedCerts = [
  { name: "corp-ca.pem", content: Buffer.from("-----BEGIN CERTIFICATE-----\n") },
];
const ous = [
  "organization:d7e009a7-8b1c-4c55-9a51-6a0b9e4f2c13",
  "space:0948b6c2-5d47-4c4f-9e0c-3f1a1b2e8d71",
  "app:273b4ea1-c0b9-4a7c-bd3b-5275150cad19",
];

/** The entries of the archive: name, mode, uid, mtime (s) and content. */
async function entries(tar: Buffer) {
  return (await readTarEntries(tar)).map((e) => ({
    name: e.type === "Directory" ? `${e.path.replace(/\/$/, "")}/` : e.path,
    mode: e.mode ?? 0,
    uid: e.uid ?? -1,
    mtime: (e.mtime?.getTime() ?? 0) / 1000,
    content: e.body.toString("utf8"),
  }));
}

describe("the cell's certificates of a launched instance", () => {
  it("adds CF_SYSTEM_CERT_PATH, CF_INSTANCE_CERT and CF_INSTANCE_KEY after the LRP's env", () => {
    const lrp = lrpFixture("lrp-cc-2024.json");
    const plan = planApp(lrp, {
      ...options,
      cell: { identity: true, trustedCerts: pendingCertificates(trustedCerts) },
    });
    expect(plan.cell?.identity?.organizationalUnits).toEqual(ous);
    expect(plan.cell?.trusted?.path).toBe("/etc/cf-system-certificates");
    const instance = planInstance(plan, { index: 0, guid: "g", hostIp: "172.17.0.1", ports: [] });
    const names = instance.env.map((v) => v.name);
    expect(names.slice(4, 8)).toEqual([
      "LANG",
      "CF_SYSTEM_CERT_PATH",
      "CF_INSTANCE_CERT",
      "CF_INSTANCE_KEY",
    ]);
    expect(instance.env.find((v) => v.name === "CF_INSTANCE_KEY")?.value).toBe(
      "/etc/cf-instance-credentials/instance.key",
    );
    // Without certificates or a path: no CF_SYSTEM_CERT_PATH; other targets: nothing.
    const none = planApp(lrp, {
      ...options,
      cell: { identity: true, trustedCerts: pendingCertificates([]) },
    });
    expect(none.cell?.trusted).toBeUndefined();
    expect(planApp(lrp, options).cell).toBeUndefined();
  });

  it("writes the certificates and the credentials root-owned 0644, the certificate last", async () => {
    const ca = await x509Pki.createAuthority({
      commonName: "test identity CA",
      notAfter: new Date(Date.now() + 86_400_000),
    });
    const cell = {
      identity: { organizationalUnits: ous },
      trusted: {
        path: "/etc/cf-system-certificates",
        certificates: pendingCertificates(trustedCerts),
      },
    };
    const guid = "0a1b2c3d-4e5f-4a7b-8c9d-0e1f";
    const before = Math.floor(Date.now() / 1000);
    const tar = await cellFilesTar(
      cell,
      { guid, ip: "172.17.0.5", withTrusted: true },
      { identities: caIssuer(ca), archives: new TarArchives() },
    );
    const listed = await entries(tar);
    expect(listed.map((e) => [e.name, e.mode.toString(8), e.uid])).toEqual([
      ["etc/cf-system-certificates/", "755", 0],
      ["etc/cf-system-certificates/corp-ca.pem", "644", 0],
      ["etc/cf-instance-credentials/", "755", 0],
      ["etc/cf-instance-credentials/instance.key", "644", 0],
      ["etc/cf-instance-credentials/instance.crt", "644", 0],
    ]);
    // Newer than a start marker written in the second the instance started.
    expect(listed.every((e) => e.mtime > before)).toBe(true);
    const cert = new X509Certificate(listed[4]?.content ?? "");
    expect(cert.subject).toContain(`CN=${guid}`);
    expect(cert.subjectAltName).toBe(`DNS:${guid}, IP Address:172.17.0.5`);
    expect(listed[3]?.content).toMatch(/^-----BEGIN RSA PRIVATE KEY-----/);
    const again = await entries(
      await cellFilesTar(
        cell,
        { guid, ip: "", withTrusted: false },
        { identities: caIssuer(ca), archives: new TarArchives() },
      ),
    );
    expect(again.map((e) => e.name)).toEqual([
      "etc/cf-instance-credentials/",
      "etc/cf-instance-credentials/instance.key",
      "etc/cf-instance-credentials/instance.crt",
    ]);
  });

  it("holds the app back until the credentials are newer than the start", () => {
    const script = startScript({ awaitIdentity: true });
    expect(script).toContain("stat -c %Y /etc/cf-instance-credentials/instance.crt");
    expect(script.indexOf("instance.crt")).toBeLessThan(script.indexOf('exec "$@"'));
    expect(startScript({})).not.toContain("instance.crt");
  });
});
