import { randomBytes, X509Certificate } from "node:crypto";
import { stat } from "node:fs/promises";
import { afterEach, describe, expect, it } from "vitest";
import { TarArchives } from "../../../src/archive/tar-archives.js";
import type { AppRuntime } from "../../../src/container/app-runtime.js";
import { DockerApps } from "../../../src/container/docker-apps.js";
import { caIssuer } from "../../../src/identity/instance-identity.js";
import { cellVolumes, writeCellFiles } from "../../../src/launch/instance-credentials.js";
import { startEntrypoint } from "../../../src/launch/start-script.js";
import { x509Pki } from "../../../src/x509/x509-pki.js";
import {
  assertNoLeakedContainers,
  removeLabelledContainers,
  TEST_RUN_LABEL,
  testRunId,
} from "../../kit/docker-leaks.js";
import { pendingCertificates } from "../../kit/pending-certificates.js";

// The cell's files of a launched instance, written on the real engine: into the container's
// volumes from this host (the tests run as root beside the engine), or through the archive API.

const runId = testRunId();
const role = `io.restager.test-role-cell-files-${randomBytes(4).toString("hex")}`;
const apps = new DockerApps();
const trustedCerts = [
  { name: "corp-ca.pem", content: Buffer.from("-----BEGIN CERTIFICATE-----\n") },
];
const cell = {
  identity: { organizationalUnits: ["app:273b4ea1-c0b9-4a7c-bd3b-5275150cad19"] },
  trusted: {
    path: "/etc/cf-system-certificates",
    certificates: pendingCertificates(trustedCerts),
  },
};
const guid = "0a1b2c3d-4e5f-4a7b-8c9d-0e1f";

afterEach(async () => {
  await removeLabelledContainers(role, "1");
  await assertNoLeakedContainers(role, "1");
});

/** An instance whose start script holds `cat`-ing the credentials until they are in. */
function runInstance(): Promise<string> {
  return apps.runApp({
    name: `restager-test-cell-${randomBytes(4).toString("hex")}`,
    image: "restager/stack:bookworm",
    entrypoint: startEntrypoint({ awaitIdentity: true }),
    cmd: [
      "sh",
      "-c",
      "stat -c '%U %a %n' /etc/cf-*/*; head -1 /etc/cf-instance-credentials/instance.crt; sleep 60",
    ],
    user: "vcap",
    workingDir: "/home/vcap",
    env: [],
    labels: { [TEST_RUN_LABEL]: runId, [role]: "1" },
    ports: [],
    hostname: guid,
    volumes: cellVolumes(cell),
  });
}

async function writers() {
  const ca = await x509Pki.createAuthority({
    commonName: "test identity CA",
    notAfter: new Date(Date.now() + 86_400_000),
  });
  return { identities: caIssuer(ca), archives: new TarArchives() };
}

/** The engine, counting archive writes. */
function counting(runtime: AppRuntime): { runtime: AppRuntime; puts: () => number } {
  let puts = 0;
  const counted = Object.create(runtime) as AppRuntime;
  counted.putFiles = (...args) => {
    puts++;
    return runtime.putFiles(...args);
  };
  return { runtime: counted, puts: () => puts };
}

async function output(id: string): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const lines = (await apps.tailLogs(id, 10)).map((line) => line.text);
    if (lines.some((line) => line.startsWith("-----BEGIN"))) return lines.join("\n");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the instance never read its credentials`);
}

describe("the cell's files of a launched instance", () => {
  it("are written straight into the instance's volumes, which go with the container", async () => {
    const id = await runInstance();
    const { runtime, puts } = counting(apps);
    const state = await apps.inspectApp(id);
    const sources = Object.values(state.volumeSources ?? {});
    expect(Object.keys(state.volumeSources ?? {}).sort()).toEqual(cellVolumes(cell).sort());
    await writeCellFiles({ runtime, ...(await writers()) }, { id, guid, cell, withTrusted: true });
    expect(puts()).toBe(0);
    const seen = await output(id);
    expect(seen).toContain("root 644 /etc/cf-instance-credentials/instance.crt");
    expect(seen).toContain("root 644 /etc/cf-instance-credentials/instance.key");
    expect(seen).toContain("root 644 /etc/cf-system-certificates/corp-ca.pem");
    expect(seen).not.toContain(".partial");
    const cert = await apps.runCheck(id, {
      argv: ["cat", "/etc/cf-instance-credentials/instance.crt"],
      user: "vcap",
    });
    expect(new X509Certificate(cert.output).subjectAltName).toBe(
      `DNS:${guid}, IP Address:${state.ip}`,
    );
    // The app's user cannot change them.
    const write = await apps.runCheck(id, {
      argv: ["touch", "/etc/cf-instance-credentials/instance.crt"],
      user: "vcap",
    });
    expect(write.exitCode).not.toBe(0);
    await apps.stopAndRemove(id, 0);
    for (const source of sources) await expect(stat(source)).rejects.toThrow(/ENOENT/);
  });

  it("go through the engine's archive API when the volumes are not on this host", async () => {
    const id = await runInstance();
    const { runtime, puts } = counting(apps);
    runtime.inspectApp = async (containerId) => ({
      ...(await apps.inspectApp(containerId)),
      volumeSources: {
        [cell.trusted.path]: "/nonexistent/a",
        "/etc/cf-instance-credentials": "/nonexistent/b",
      },
    });
    await writeCellFiles({ runtime, ...(await writers()) }, { id, guid, cell, withTrusted: true });
    expect(puts()).toBe(1);
    expect(await output(id)).toContain("root 644 /etc/cf-instance-credentials/instance.crt");
  });
});
