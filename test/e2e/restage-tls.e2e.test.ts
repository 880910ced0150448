/**
 * `restage` against a Cloud Foundry that speaks TLS everywhere (the fake in TLS mode, CC-direct
 * era task): downloads verified with the platform's CA, uploads to cc-uploader and the callback
 * to Cloud Controller with the cell's client certificate. Then each TLS failure, with the one
 * line it prints, and --resolve keeping the URL's name for SNI and verification.
 */
import { once } from "node:events";
import { writeFile } from "node:fs/promises";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import Docker from "dockerode";
import { describe, expect, it } from "vitest";
import { issueClient, writeIdentity } from "../kit/test-pki.js";
import { flags, tlsWorld } from "../kit/e2e/tls-world.js";
import { x509Pki } from "../../src/x509/x509-pki.js";
import type { E2eCase } from "../kit/e2e/e2e-case.js";
import { useE2eCase } from "../kit/e2e/e2e-case.js";
import type { CliResult } from "../kit/e2e/cli.js";
import {
  expectExit,
  expectNoSecrets,
  expectNoStackTrace,
  urlSecrets,
} from "../kit/e2e/expectations.js";
import { renameHosts } from "../kit/e2e/rename-hosts.js";

const dayMs = 86_400_000;
const internalName = "fake-cf.service.cf.internal";

/** Containers of this test's app the engine created since `since` (seconds). */
async function containersCreatedSince(e2e: E2eCase, since: number): Promise<number> {
  const docker = new Docker();
  const stream = await docker.getEvents({
    since,
    until: Math.ceil(Date.now() / 1000),
    filters: {
      type: ["container"],
      event: ["create"],
      label: [`io.restager.app-guid=${e2e.appGuid}`],
    },
  });
  const chunks: Buffer[] = [];
  stream.on("data", (chunk: Buffer) => chunks.push(chunk));
  await once(stream, "end");
  return Buffer.concat(chunks).toString().split("\n").filter(Boolean).length;
}

describe("restage over TLS and mutual TLS", () => {
  const current = useE2eCase();

  it("stages when every hop is TLS: private CA for downloads, client certificate for uploads and the callback", async () => {
    const e2e = current();
    const { world, files } = await tlsWorld(e2e);
    const run = await e2e.restage([world.taskFile, ...flags(files), "--callback", "--no-image"]);
    expectExit(run, 0);
    expect(world.cf.uploadedDroplets()).toHaveLength(1);
    expect(world.cf.uploadedBuildArtifacts()).toHaveLength(1);
    expect(world.cf.callbacks()).toHaveLength(1);
    expect(world.cf.callbacks()[0]?.payload).toMatchObject({ failed: false });
    const servers = new Set(world.cf.requests.map((r) => r.server));
    expect(servers).toEqual(new Set(["fileServer", "blobstore", "ccUploader", "cloudController"]));
    expect(String(world.task["completion_callback_url"])).toMatch(/^https:/);
    expect(run.stderr).toMatch(/^Callback \(succeeded\) to https:.*: HTTP 200 after 1 attempt$/m);
    expectNoSecrets(run, urlSecrets(world.task, { signatures: true }));
  });

  it("takes the CA and the client identity from RESTAGER_CACERT, RESTAGER_CERT and RESTAGER_KEY", async () => {
    const e2e = current();
    const { world, files } = await tlsWorld(e2e);
    const env = { RESTAGER_CACERT: files.ca, RESTAGER_CERT: files.cert, RESTAGER_KEY: files.key };
    const run = await e2e.restage([world.taskFile, "--no-image"], { env });
    expectExit(run, 0);
    expect(world.cf.uploadedDroplets()).toHaveLength(1);
  });

  it("stops on an unknown CA before any container exists, naming the host and --cacert", async () => {
    const e2e = current();
    const { world, files } = await tlsWorld(e2e);
    const since = Math.floor(Date.now() / 1000);
    const run = await e2e.restage([world.taskFile, "--cert", files.cert, "--key", files.key]);
    expectExit(run, 69);
    // The lifecycle (file server) and the buildpacks (blobstore) are fetched in parallel and the
    // first failure cancels the others: either host may be the one named.
    const hosts = (["fileServer", "blobstore"] as const).map(
      (s) => new URL(world.cf.urlFor(s)).host,
    );
    const host = hosts.find((h) => run.stderr.includes(`certificate of ${h} `)) ?? hosts[0];
    expectTlsLine(
      run,
      `TLS: the certificate of ${host} is signed by an unknown CA (unable to verify the first certificate); pass the platform's CA with --cacert FILE`,
    );
    expect(world.cf.requests).toEqual([]);
    expect(await containersCreatedSince(e2e, since)).toBe(0);
  });

  it("names the certificate's names when the host is not one of them (through --resolve)", async () => {
    const e2e = current();
    const { world, files } = await tlsWorld(e2e);
    const wrong = "uaa.service.cf.internal";
    const file = join(e2e.dir, "renamed-task.json");
    await writeFile(file, JSON.stringify(renameHosts(world.task, world.cf.advertiseHost, wrong)));
    const resolve = ["--resolve", `${wrong}=${world.cf.advertiseHost}`];
    const run = await e2e.restage([file, ...flags(files), ...resolve]);
    expectExit(run, 69);
    // The cached dependencies (lifecycle on the file server, buildpacks on the blobstore) are
    // fetched in parallel and the first failure cancels the others: either may be the one named.
    const ports = (["fileServer", "blobstore"] as const).map(
      (s) => new URL(world.cf.urlFor(s)).port,
    );
    const port = ports.find((p) => run.stderr.includes(`${wrong}:${p} `)) ?? ports[0];
    expectTlsLine(
      run,
      `TLS: the certificate of ${wrong}:${port} is not valid for ${wrong} (it names DNS:file-server.service.cf.internal, DNS:blobstore.service.cf.internal, DNS:cc-uploader.service.cf.internal, DNS:cloud-controller-ng.service.cf.internal, DNS:stager.service.cf.internal, DNS:${internalName}, IP:127.0.0.1, IP:${world.cf.advertiseHost}); check that --resolve sends ${wrong} to the right server, or pass --insecure to skip verification`,
    );
  });

  it("keeps the URL's host name for SNI, Host and verification through --resolve", async () => {
    const e2e = current();
    const { world, files } = await tlsWorld(e2e);
    const file = join(e2e.dir, "internal-task.json");
    const task = renameHosts(world.task, world.cf.advertiseHost, internalName);
    await writeFile(file, JSON.stringify(task));
    const resolve = ["--resolve", `*.service.cf.internal=${world.cf.advertiseHost}`];
    const run = await e2e.restage([file, ...flags(files), ...resolve, "--no-image"]);
    expectExit(run, 0);
    expect(world.cf.uploadedDroplets()).toHaveLength(1);
    const direct = world.cf.requests.filter((r) => r.server !== "cloudController");
    expect(new Set(direct.map((r) => r.headers.host?.split(":")[0]))).toEqual(
      new Set([internalName]),
    );
  });

  it("says the server certificate expired", async () => {
    const e2e = current();
    const { world, files } = await tlsWorld(e2e);
    const ca = world.cf.tls?.ca;
    if (ca === undefined) throw new Error("no CA");
    const old = await ca.issue({
      commonName: "old file server",
      ipAddresses: [world.cf.advertiseHost],
      usage: "server",
      notBefore: new Date(Date.now() - 3 * dayMs),
      notAfter: new Date(Date.now() - dayMs),
    });
    const server = createServer({ cert: old.certPem, key: old.keyPem }, (_req, res) => res.end());
    server.listen(0, world.cf.advertiseHost);
    await once(server, "listening");
    try {
      const port = (server.address() as AddressInfo).port;
      const task = structuredClone(world.task) as { cached_dependencies: { from: string }[] };
      const lifecycle = task.cached_dependencies[0];
      if (lifecycle === undefined) throw new Error("no cached dependency");
      lifecycle.from = `https://${world.cf.advertiseHost}:${port}/v1/static/lifecycle.tgz`;
      const file = join(e2e.dir, "expired-task.json");
      await writeFile(file, JSON.stringify(task));
      const run = await e2e.restage([file, ...flags(files)]);
      expectExit(run, 69);
      expectTlsLine(
        run,
        `TLS: the certificate of ${world.cf.advertiseHost}:${port} has expired; renew it on the server, or pass --insecure to skip verification`,
      );
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it("asks for --cert/--key when cc-uploader requires a client certificate", async () => {
    const e2e = current();
    const { world, files } = await tlsWorld(e2e);
    const run = await e2e.restage([world.taskFile, "--cacert", files.ca]);
    expectExit(run, 69);
    const host = new URL(world.cf.urlFor("ccUploader")).host;
    expect(run.stderr).toMatch(
      uploadFailure(
        `TLS: ${host} requires a client certificate and none was given (WHY); pass one with --cert FILE --key FILE`,
      ),
    );
    expect(run.stderr).toMatch(/^ {2}droplet: .*, NOT uploaded, kept at /m);
    expect(run.stderr).not.toMatch(/reachable|Hint:/);
    expect(world.cf.requestsTo("ccUploader")).toEqual([]);
    expectNoStackTrace(run);
  });

  it("says cc-uploader refused a client certificate another CA signed", async () => {
    const e2e = current();
    const { world, files } = await tlsWorld(e2e);
    const stranger = await x509Pki.createAuthority({
      commonName: "not the platform",
      notAfter: new Date(Date.now() + dayMs),
    });
    const other = await writeIdentity(e2e.dir, "other", await issueClient(stranger, "cell"));
    const args = ["--cacert", files.ca, "--cert", other.cert, "--key", other.key];
    const run = await e2e.restage([world.taskFile, ...args]);
    expectExit(run, 69);
    const host = new URL(world.cf.urlFor("ccUploader")).host;
    expect(run.stderr).toMatch(
      uploadFailure(
        `TLS: ${host} refused the client certificate from --cert ${other.cert} (WHY); pass one its CA signed, still valid, with --cert FILE --key FILE`,
      ),
    );
    expect(run.stderr).not.toMatch(/reachable|Hint:/);
    expect(world.cf.uploadedDroplets()).toEqual([]);
    expectNoStackTrace(run);
  });
});

/**
 * A cached dependency failed with a TLS error: Diego's failure, then the one line saying what
 * is wrong and the option that fixes it; no "reachable" hint (the host answered), no stack.
 */
function expectTlsLine(run: CliResult, message: string): void {
  expectExit(run, 69);
  const lines = run.stderr.split("\n");
  expect(lines, run.stderr).toContain(`  ${message}`);
  expect(lines.filter((line) => line.includes("TLS:"))).toHaveLength(1);
  expect(run.stderr).not.toMatch(/reachable|Hint:/);
  expectNoStackTrace(run);
}

/**
 * The upload's failure reason as Diego words it, carrying the TLS message; WHY is what the
 * server said: Node's TLS server sends a `certificate required` alert for a missing
 * certificate and hangs up on a refused one.
 */
function uploadFailure(message: string): RegExp {
  const escaped = message.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const why = "(alert certificate required|it closed the connection during the handshake)";
  // The executor's upload step logs `Failed to upload payload for <artifact>` and fails with the
  // uploader's own error; both uploads fail alike, and parallel joins their errors with "; ".
  return new RegExp(
    `^\\[STG\\] ERR Failed to upload payload for droplet$[\\s\\S]*^Staging failed: ${escaped.replace("WHY", why)}(;|$)`,
    "m",
  );
}
