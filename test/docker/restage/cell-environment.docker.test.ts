/**
 * What a process in a staging container sees, against the real engine, compared with what a
 * Diego cell gives it: its environment value by value, the hostname, the files downloads
 * create and who owns them.
 */
import { randomUUID, X509Certificate } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { Header } from "tar";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { TarArchives } from "../../../src/archive/tar-archives.js";
import { DockerRuntime } from "../../../src/container/docker-runtime.js";
import { parseRequest } from "../../../src/diego/parse/parse-request.js";
import type { TaskRequest } from "../../../src/diego/task-definition.js";
import { CachedDownloader } from "../../../src/http/cached-downloader.js";
import { openLocalCa } from "../../../src/identity/local-ca.js";
import { assertNoLeakedContainers, TEST_RUN_LABEL } from "../../kit/docker-leaks.js";
import { RecordingTaskLog } from "../../kit/recording-task-log.js";
import { caIssuer } from "../../../src/identity/instance-identity.js";
import { x509Pki } from "../../../src/x509/x509-pki.js";
import {
  dependencyVolumeName,
  markerVolumeName,
} from "../../../src/restage/dependency-volume-name.js";
import { restage } from "../../../src/restage/restage.js";
import type { RestageDeps, RestageOptions } from "../../../src/restage/restage-types.js";
import { certificatesAsDependency } from "../../../src/restage/system-certificates.js";

const image = "restager/stack:bookworm";
const runId = `cell-env-${randomUUID()}`;
const runtime = new DockerRuntime();
const dirs: string[] = [];
let server: Server;
let base: string;

/** An app package as a gzipped tar: root-owned entries, one of them world-writable. */
const appPackage = (() => {
  const blocks: Buffer[] = [];
  const entries = [
    { path: "bin/", mode: 0o777 },
    { path: "bin/build", body: "#!/bin/sh\necho built > built.marker\n", mode: 0o777 },
    { path: "index.html", body: "<p>hi</p>\n", mode: 0o644 },
  ];
  for (const entry of entries) {
    const body = Buffer.from(entry.body ?? "");
    const block = Buffer.alloc(512);
    new Header({
      path: entry.path,
      type: entry.body === undefined ? "Directory" : "File",
      mode: entry.mode,
      uid: 0,
      gid: 0,
      size: body.length,
      mtime: new Date(0),
    }).encode(block);
    blocks.push(block, body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  return gzipSync(Buffer.concat([...blocks, Buffer.alloc(1024)]));
})();

beforeAll(async () => {
  server = createServer((_req, res) => {
    res.writeHead(200, { "content-length": appPackage.length }).end(appPackage);
  });
  await new Promise<void>((resolve) => server.listen(0, "0.0.0.0", resolve));
  const gateway = "172.17.0.1";
  base = `http://${gateway}:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  await assertNoLeakedContainers(TEST_RUN_LABEL, runId);
});

const run = (path: string, args: string[], as: { user?: string; env?: object[] } = {}) => ({
  run: { path, args, user: as.user ?? "vcap", env: as.env ?? [] },
});

function task(taskGuid: string, actions: object[], more: object = {}): TaskRequest {
  const json = {
    task_guid: taskGuid,
    domain: "cf-app-staging",
    task_definition: {
      ...more,
      rootfs: "preloaded:cflinuxfs4",
      log_guid: "cell-env-test",
      log_source: "STG",
      memory_mb: 256,
      result_file: "/tmp/result.json",
      env: [{ name: "LANG", value: "en_US.UTF-8" }],
      action: { serial: { actions } },
    },
  };
  return parseRequest(json, "task").value as TaskRequest;
}

async function restageTask(
  request: TaskRequest,
  extra: Partial<RestageOptions> = {},
  extraDeps: Partial<RestageDeps> = {},
) {
  const cacheDir = await mkdtemp(join(tmpdir(), "restager-cell-env-"));
  dirs.push(cacheDir);
  const downloader = new CachedDownloader({ cacheDir });
  const log = new RecordingTaskLog("STG");
  try {
    const outcome = await restage(
      {
        request,
        image,
        runId: randomUUID(),
        labels: { [TEST_RUN_LABEL]: runId },
        keepContainer: false,
        outputDir: join(cacheDir, "out"),
        keepArtifacts: false,
        signal: new AbortController().signal,
        ...extra,
      },
      {
        runtime,
        downloader,
        uploader: { upload: () => Promise.reject(new Error("no uploads here")) },
        archives: new TarArchives(),
        taskLog: log,
        logger: { debug: () => undefined },
        settings: { gracePeriodMs: 1000, exitTimeoutMs: 1000 },
        ...extraDeps,
      },
    );
    return { outcome, out: log.lines("out"), err: log.lines("err") };
  } finally {
    await downloader.close();
  }
}

/** The `NAME=value` lines a run of /usr/bin/env printed, between two markers. */
function envBlock(lines: string[], marker: string): Map<string, string> {
  const start = lines.indexOf(`${marker}-begin`);
  const end = lines.indexOf(`${marker}-end`);
  const block = lines.slice(start + 1, end).filter((line) => !line.startsWith("Exit status"));
  return new Map(
    block.map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
  );
}

const echo = (text: string) => run("/bin/echo", [text]);

describe("a staging container as a cell makes it", () => {
  it("gives run processes Garden's and the executor's environment, value by value", async () => {
    const guid = `cell-env-${randomUUID()}`;
    const request = task(guid, [
      echo("vcap-begin"),
      run("/usr/bin/env", [], { user: "vcap", env: [{ name: "FROM_ACTION", value: "1" }] }),
      echo("vcap-end"),
      echo("root-begin"),
      run("/usr/bin/env", [], { user: "root" }),
      echo("root-end"),
      run("/bin/hostname", []),
      run("/bin/sh", ["-c", "echo '{}' > /tmp/result.json"]),
    ]);
    const { outcome, out } = await restageTask(request);
    expect(outcome.failed).toBe(false);
    const vcap = envBlock(out, "vcap");
    const ip = vcap.get("CF_INSTANCE_INTERNAL_IP") ?? "";
    expect(ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect([...vcap.entries()].sort()).toEqual(
      [
        ["LANG", "en_US.UTF-8"],
        ["FROM_ACTION", "1"],
        ["CF_INSTANCE_IP", "172.17.0.1"],
        ["CF_INSTANCE_INTERNAL_IP", ip],
        ["CF_INSTANCE_PORT", ""],
        ["CF_INSTANCE_ADDR", ""],
        ["CF_INSTANCE_PORTS", "[]"],
        ["PATH", "/usr/local/bin:/usr/bin:/bin"],
        ["USER", "vcap"],
        ["HOME", "/home/vcap"],
      ].sort(),
    );
    const root = envBlock(out, "root");
    expect(root.get("PATH")).toBe("/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    expect(root.get("USER")).toBe("root");
    expect(root.get("HOME")).toBe("/root");
    expect(root.has("HOSTNAME")).toBe(false);
    // Garden names the host after the container handle: the task guid, its last 49 characters.
    expect(out).toContain(guid.slice(-49));
  });

  it("downloads as the user: the builder can write into the app directory", async () => {
    const request = task(`cell-env-${randomUUID()}`, [
      {
        download: {
          artifact: "app package",
          from: `${base}/app.tgz`,
          to: "/tmp/app",
          cache_key: "",
          user: "vcap",
        },
      },
      run("/bin/sh", [
        "-c",
        "cd /tmp/app && ./bin/build && stat -c '%n %U:%G %a' /tmp /tmp/app /tmp/app/bin " +
          "/tmp/app/bin/build /tmp/app/index.html /tmp/app/built.marker",
      ]),
      run("/bin/sh", ["-c", "echo '{}' > /tmp/result.json"]),
    ]);
    const { outcome, out, err } = await restageTask(request);
    expect(err).toEqual([]);
    expect(outcome.failed).toBe(false);
    expect(out).toEqual([
      "Downloading app package...",
      expect.stringMatching(/^Downloaded app package \(\d+B\)$/),
      "/tmp root:root 1777",
      "/tmp/app vcap:vcap 755",
      "/tmp/app/bin vcap:vcap 755",
      "/tmp/app/bin/build vcap:vcap 755",
      "/tmp/app/index.html vcap:vcap 644",
      "/tmp/app/built.marker vcap:vcap 644",
      "Exit status 0",
      "Exit status 0",
    ]);
  });

  it("fails a download into a directory the user may not write with the executor's message", async () => {
    const request = task(`cell-env-${randomUUID()}`, [
      {
        download: {
          artifact: "app package",
          from: `${base}/app.tgz`,
          to: "/usr",
          cache_key: "",
          user: "vcap",
        },
      },
    ]);
    const { outcome, err } = await restageTask(request);
    expect(outcome.failed).toBe(true);
    const message =
      "Copying app package into the container failed: stream-in: nstar: error streaming in: " +
      "exit status 2. Output: tar: bin/build: Cannot open: Permission denied\n" +
      "tar: bin: Cannot utime: Operation not permitted\n" +
      "tar: index.html: Cannot open: Permission denied\n" +
      "tar: Exiting with failure status due to previous errors\n";
    expect(err).toEqual([message]);
    expect(outcome.failureReason).toBe(message);
  });

  it("mounts the trusted certificates and the instance identity read-only, as the executor does", async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), "restager-cell-ca-"));
    dirs.push(cacheDir);
    const ca = await openLocalCa({ cacheDir, pki: x509Pki });
    const trustedCa = await x509Pki.createAuthority({
      commonName: "trusted test CA",
      notAfter: new Date(Date.now() + 86_400_000),
    });
    const guid = `cell-id-${randomUUID()}`;
    const script = [
      'echo "cert-path=$CF_SYSTEM_CERT_PATH"',
      'echo "cert=$CF_INSTANCE_CERT key=$CF_INSTANCE_KEY"',
      "stat -c '%n %U:%G %a' /etc/cf-system-certificates /etc/cf-system-certificates/test-ca.crt " +
        "/etc/cf-instance-credentials /etc/cf-instance-credentials/instance.crt " +
        "/etc/cf-instance-credentials/instance.key",
      "touch /etc/cf-system-certificates/x 2>/dev/null || echo certs-read-only",
      "touch /etc/cf-instance-credentials/x 2>/dev/null || echo identity-read-only",
      'test -r "$CF_INSTANCE_KEY" && head -1 "$CF_INSTANCE_KEY"',
      'echo "ip=$CF_INSTANCE_INTERNAL_IP"',
      'cat "$CF_INSTANCE_CERT"',
    ].join("; ");
    const request = task(
      guid,
      [
        run("/bin/sh", ["-c", script], { user: "vcap" }),
        run("/bin/sh", ["-c", "echo '{}' > /tmp/result.json"], { user: "root" }),
      ],
      {
        trusted_system_certificates_path: "/etc/cf-system-certificates",
        certificate_properties: {
          organizational_unit: ["organization:o-1", "space:s-1", "app:a-1"],
        },
        env: [
          { name: "LANG", value: "en_US.UTF-8" },
          {
            name: "VCAP_PLATFORM_OPTIONS",
            value: '{"credhub-uri":"https://credhub.internal:8844"}',
          },
          { name: "VCAP_SERVICES", value: '{"p":[{"credentials":{"credhub-ref":"/c/p/k"}}]}' },
        ],
      },
    );
    const { outcome, out, err } = await restageTask(
      request,
      { trustedCertificates: [{ name: "test-ca.crt", content: Buffer.from(trustedCa.certPem) }] },
      { identities: caIssuer(ca) },
    );
    expect(err).toEqual([]);
    expect(outcome.failed).toBe(false);
    expect(out.slice(0, 11)).toEqual([
      "cert-path=/etc/cf-system-certificates",
      "cert=/etc/cf-instance-credentials/instance.crt key=/etc/cf-instance-credentials/instance.key",
      "/etc/cf-system-certificates root:root 755",
      "/etc/cf-system-certificates/test-ca.crt root:root 644",
      "/etc/cf-instance-credentials root:root 755",
      "/etc/cf-instance-credentials/instance.crt root:root 644",
      "/etc/cf-instance-credentials/instance.key root:root 644",
      "certs-read-only",
      "identity-read-only",
      "-----BEGIN RSA PRIVATE KEY-----",
      expect.stringMatching(/^ip=\d+\.\d+\.\d+\.\d+$/),
    ]);
    const ip = (out[10] ?? "").slice(3);
    const pems = out
      .slice(11)
      .join("\n")
      .match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g);
    const leaf = new X509Certificate(pems?.[0] ?? "");
    expect(leaf.verify(new X509Certificate(ca.certPem).publicKey)).toBe(true);
    expect(new X509Certificate(pems?.[1] ?? "").fingerprint256).toBe(
      new X509Certificate(ca.certPem).fingerprint256,
    );
    expect(leaf.subject).toBe(`OU=app:a-1 + OU=space:s-1 + OU=organization:o-1\nCN=${guid}`);
    expect(leaf.subjectAltName).toBe(`DNS:${guid}, IP Address:${ip}`);
    const volumes = await runtime.volumes.list("io.restager.kind", "instance-identity");
    expect(volumes.filter((v) => v.labels[TEST_RUN_LABEL] === runId)).toEqual([]);
    // The certificates' volume is a cache shared by later restages; this one's CA is unique.
    const certs = await certificatesAsDependency(
      [{ name: "test-ca.crt", content: Buffer.from(trustedCa.certPem) }],
      "/etc/cf-system-certificates",
      { log: new RecordingTaskLog("STG"), archives: new TarArchives() },
    );
    await certs.file.release();
    const volume = dependencyVolumeName(certs.dependency.cacheKey, certs.sha256Hex);
    expect(await runtime.volumes.inspect(volume)).toBeDefined();
    await runtime.volumes.remove(volume);
    await runtime.volumes.remove(markerVolumeName(volume));
  });
});
