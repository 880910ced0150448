/**
 * A fake Cloud Foundry for end-to-end tests and the demo: file server, blobstore,
 * cc-uploader, Cloud Controller internal API and stager callback endpoint, each a small
 * node:http server on an ephemeral port, recording every request.
 *
 *   await using cf = await FakeCf.start();
 *   const lifecycle = await cf.fileServer.add("buildpack_app_lifecycle/buildpack_app_lifecycle.tgz", tgz);
 *   const pkg = await cf.blobstore.add(`cc-packages/ab/cd/${appGuid}`, zip);
 *   ... run restager against pkg.signedUrl(), then assert on cf.uploadedDroplets(), cf.callbacks()
 *
 * Servers bind to `bindHost` (default 0.0.0.0) so containers on the Docker bridge can reach
 * them at `advertiseHost` (default: the docker0 address, else 127.0.0.1).
 */
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ArtifactStore, type UploadedArtifact } from "./artifact-store.js";
import type { Credentials } from "./basic-auth.js";
import { Blobstore } from "./blobstore.js";
import { CcUploader } from "./cc-uploader.js";
import { cloudControllerHandler } from "./cloud-controller.js";
import type { Handler } from "./exchange.js";
import { resolveOptions, type FakeCfEndpoints, type FakeCfOptions } from "./fake-cf-options.js";
import { FakeServer, type ServerTls } from "./fake-server.js";
import { createTestPki, issueClient, type TestPki } from "../test-pki.js";
import type { IssuedCertificate } from "../../../src/pki/ports.js";
import { FaultTable, type Fault, type Route } from "./faults.js";
import { FileServer } from "./file-server.js";
import { RequestLog, type RecordedRequest } from "./request-log.js";
import type { ServerName } from "./server-name.js";
import { stagerHandler } from "./stager.js";
import { StagingJobs } from "./staging-jobs.js";
import { TaskCallbacks, type RecordedCallback } from "./task-callbacks.js";

export class FakeCf implements AsyncDisposable {
  readonly bindHost: string;
  readonly advertiseHost: string;
  readonly credentials: Credentials;
  readonly fileServer: FileServer;
  readonly blobstore: Blobstore;
  readonly #log = new RequestLog();
  readonly #faults = new FaultTable();
  readonly #callbacks = new TaskCallbacks();
  readonly #servers = new Map<ServerName, FakeServer>();
  readonly #tempDir: string;
  #store: ArtifactStore | undefined;
  #pki: TestPki | undefined;

  private constructor(options: Required<FakeCfOptions>, tempDir: string) {
    this.bindHost = options.bindHost;
    this.advertiseHost = options.advertiseHost;
    this.credentials = options.credentials;
    this.#tempDir = tempDir;
    this.fileServer = new FileServer((host) => this.urlFor("fileServer", host));
    this.blobstore = new Blobstore({
      baseUrl: (host) => this.urlFor("blobstore", host),
      credentials: options.credentials,
      ttlSeconds: options.signedUrlTtlSeconds,
    });
  }

  static async start(options: FakeCfOptions = {}): Promise<FakeCf> {
    const tempDir = await mkdtemp(join(tmpdir(), "fake-cf-"));
    const resolved = await resolveOptions(options);
    const fake = new FakeCf(resolved, tempDir);
    try {
      if (resolved.tls) fake.#pki = await createTestPki(certificateAddresses(resolved));
      await fake.#startServers(resolved);
      return fake;
    } catch (error) {
      await fake.close();
      throw error;
    }
  }

  async #startServers(options: Required<FakeCfOptions>): Promise<void> {
    const { jobPollIntervalMs, recordMd5 } = options;
    const spoolDir = join(this.#tempDir, "spool");
    const storeDir = join(this.#tempDir, "store");
    await Promise.all([mkdir(spoolDir), mkdir(storeDir)]);
    const store = (this.#store = new ArtifactStore(storeDir, this.blobstore));
    const handlers: Record<ServerName, Handler> = {
      fileServer: this.fileServer.handle,
      blobstore: this.blobstore.handle,
      ccUploader: new CcUploader({ jobPollIntervalMs, tls: await this.#ccClientTls() }).handle,
      cloudController: cloudControllerHandler({
        credentials: this.credentials,
        store,
        blobstore: this.blobstore,
        jobs: new StagingJobs(),
        callbacks: this.#callbacks,
        spoolDir,
        recordMd5,
      }),
      stager: stagerHandler(this.#callbacks),
    };
    for (const [name, handler] of Object.entries(handlers) as [ServerName, Handler][]) {
      const server = await FakeServer.start({
        name,
        bindHost: this.bindHost,
        handler,
        log: this.#log,
        faults: this.#faults,
        recordMd5,
        tls: this.#serverTls(name),
      });
      this.#servers.set(name, server);
    }
  }

  /** What each server demands in TLS mode: HTTPS everywhere, client certificates where CF does. */
  #serverTls(name: ServerName): ServerTls | undefined {
    const pki = this.#pki;
    if (pki === undefined) return undefined;
    const identity = { certPem: pki.server.certPem, keyPem: pki.server.keyPem };
    const mutual = name === "ccUploader" || name === "cloudController";
    return mutual ? { ...identity, clientCaPem: pki.ca.certPem } : identity;
  }

  /** cc-uploader's own client certificate towards CC (capi-release `cc_uploader` job). */
  async #ccClientTls() {
    const pki = this.#pki;
    if (pki === undefined) return undefined;
    const client = await issueClient(pki.ca, "cc_uploader");
    return { caPem: pki.ca.certPem, certPem: client.certPem, keyPem: client.keyPem };
  }

  /**
   * TLS mode: the CA that signed every server certificate (pass it with --cacert) and the
   * cell's client identity (--cert/--key); undefined in plain HTTP mode.
   */
  get tls(): { caPem: string; cell: IssuedCertificate; ca: TestPki["ca"] } | undefined {
    const pki = this.#pki;
    return pki && { caPem: pki.ca.certPem, cell: pki.cell, ca: pki.ca };
  }

  /** `http(s)://<host>:<port>` of a server; `host` defaults to the advertised (container-facing) host. */
  urlFor(server: ServerName, host: string = this.advertiseHost): string {
    const running = this.#servers.get(server);
    if (running === undefined) throw new Error(`fake-cf: ${server} is not running`);
    return `${this.#pki ? "https" : "http"}://${host}:${running.port}`;
  }

  /** The URL the test process itself should use (loopback when bound to every address). */
  localUrl(server: ServerName): string {
    const wildcard = this.bindHost === "0.0.0.0" || this.bindHost === "::";
    return this.urlFor(server, wildcard ? "127.0.0.1" : this.bindHost);
  }

  endpoints(host: string = this.advertiseHost): FakeCfEndpoints {
    const urls = Object.fromEntries(
      [...this.#servers.keys()].map((name) => [name, this.urlFor(name, host)]),
    );
    return { ...(urls as Record<ServerName, string>), credentials: this.credentials };
  }

  /** Every request received so far, in arrival order (secrets included). */
  get requests(): readonly RecordedRequest[] {
    return this.#log.entries;
  }

  requestsTo(server: ServerName, pathPrefix?: string): RecordedRequest[] {
    return this.#log.to(server, pathPrefix);
  }

  count304(server?: ServerName): number {
    return this.#log.count304(server);
  }

  uploadedDroplets(): UploadedArtifact[] {
    return this.#store?.uploads.filter((u) => u.kind === "droplet") ?? [];
  }

  uploadedBuildArtifacts(): UploadedArtifact[] {
    return this.#store?.uploads.filter((u) => u.kind === "buildArtifacts") ?? [];
  }

  callbacks(): RecordedCallback[] {
    return [...this.#callbacks.received];
  }

  /** Arms `fault` for the next requests matching `route` (see faults.ts). */
  inject(route: Route, fault: Fault): void {
    this.#faults.add(route, fault);
  }

  clearFaults(): void {
    this.#faults.clear();
  }

  /** Stops every server (dropping open connections) and deletes stored uploads. */
  async close(): Promise<void> {
    const servers = [...this.#servers.values()];
    this.#servers.clear();
    await Promise.all(servers.map((server) => server.close()));
    await rm(this.#tempDir, { recursive: true, force: true });
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

/** The addresses the server certificate names besides the internal host names. */
function certificateAddresses(options: { advertiseHost: string; bindHost: string }): string[] {
  const wildcard = options.bindHost === "0.0.0.0" || options.bindHost === "::";
  return wildcard ? [options.advertiseHost] : [options.advertiseHost, options.bindHost];
}

export { faults, type Fault, type Route } from "./faults.js";
export type { FakeCfEndpoints, FakeCfOptions } from "./fake-cf-options.js";
export type { RecordedRequest } from "./request-log.js";
export type { RecordedCallback, TaskCallbackResponse } from "./task-callbacks.js";
export type { UploadedArtifact } from "./artifact-store.js";
export type { ServerName } from "./server-name.js";
