/**
 * One undici Agent shared by the downloader, the uploader and postJson, plus what every request
 * needs: `--resolve` rewriting, basic auth taken out of the URL (undici does not send userinfo),
 * an overall deadline per request, and redirects for GETs (Go's client follows them, and Cloud
 * Controller's download endpoints answer with a redirect to the blobstore).
 */
import type { Readable } from "node:stream";
import type { Agent } from "undici";
import { undiciAgent } from "./undici-agent.js";
import { InvalidInputError, UnavailableError } from "../errors.js";
import { redactUrl } from "../core/redact.js";
import { applyResolveMap, type ResolvedTarget, type ResolveMap } from "./resolve-map.js";
import { tlsErrorOf, tlsErrorOfProbe } from "./tls-errors.js";
import { probeTls } from "./tls-probe.js";
import { noTlsSettings, tlsConnectOptions, type TlsSettings } from "./tls-settings.js";

export interface HttpTransportOptions {
  /** TCP/TLS connect timeout; default 10 s. */
  connectTimeoutMs?: number | undefined;
  /** Longest silence while waiting for headers or body bytes; default 10 s. */
  idleTimeoutMs?: number | undefined;
  /** Deadline for one whole request including its body; default 10 min. */
  requestTimeoutMs?: number | undefined;
  resolveMap?: ResolveMap | undefined;
  /** CAs added to the defaults, client identity, --insecure; default: none of them. */
  tls?: TlsSettings | undefined;
}

export interface HttpRequest {
  method: "GET" | "POST";
  url: string;
  headers?: Record<string, string> | undefined;
  /** Request body; for a stream the caller sets Content-Length. */
  body?: Readable | Buffer | undefined;
  signal?: AbortSignal | undefined;
  /** Follow up to 10 redirects (GET only). */
  followRedirects?: boolean | undefined;
  /** Wait this long for response headers instead of idleTimeoutMs (slow upload endpoints). */
  headersTimeoutMs?: number | undefined;
}

export interface HttpResponse {
  status: number;
  /** First value of a response header (lower-case name). */
  header(name: string): string | undefined;
  /** Must be consumed or destroyed by the caller. */
  body: Readable;
}

/** The per-request deadline fired; callers treat it like any other network failure. */
export class RequestTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`request did not complete within ${Math.round(timeoutMs / 1000)} s`);
  }
}

const maxRedirects = 10;

export class HttpTransport {
  readonly idleTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly #agent: Agent;
  readonly #resolveMap: ResolveMap;
  readonly #tls: TlsSettings;

  constructor(options: HttpTransportOptions = {}) {
    this.idleTimeoutMs = options.idleTimeoutMs ?? 10_000;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 600_000;
    this.#resolveMap = options.resolveMap ?? [];
    this.#tls = options.tls ?? noTlsSettings;
    const AgentClass = undiciAgent();
    this.#agent = new AgentClass({
      connect: { timeout: options.connectTimeoutMs ?? 10_000, ...tlsConnectOptions(this.#tls) },
      headersTimeout: this.idleTimeoutMs,
      bodyTimeout: this.idleTimeoutMs,
    });
  }

  /** Sends `req`, following redirects when asked; the response body is the caller's to read. */
  async send(req: HttpRequest): Promise<HttpResponse> {
    let url = parseHttpUrl(req.url);
    let headers = { ...req.headers };
    for (let hop = 0; ; hop++) {
      const response = await this.#sendOnce(url, headers, req);
      const location = response.header("location");
      const redirect = req.followRedirects && isRedirect(response.status) && location;
      if (!redirect) return response;
      response.body.resume();
      if (hop >= maxRedirects) {
        throw new UnavailableError(`Too many redirects for ${redactUrl(req.url)}`);
      }
      const next = parseHttpUrl(location, url);
      if (next.origin !== url.origin) headers = withoutHeader(headers, "authorization");
      url = next;
    }
  }

  async close(): Promise<void> {
    await this.#agent.close();
  }

  async #sendOnce(
    url: URL,
    headers: Record<string, string>,
    req: HttpRequest,
  ): Promise<HttpResponse> {
    const target = applyResolveMap(url, this.#resolveMap);
    const connectUrl = new URL(target.connectUrl.href);
    connectUrl.username = "";
    connectUrl.password = "";
    const deadline = new AbortController();
    const timer = setTimeout(() => {
      deadline.abort(new RequestTimeoutError(this.requestTimeoutMs));
    }, this.requestTimeoutMs);
    timer.unref();
    const signals = req.signal ? [req.signal, deadline.signal] : [deadline.signal];
    try {
      const res = await this.#agent.request({
        origin: connectUrl.origin,
        path: `${connectUrl.pathname}${connectUrl.search}`,
        method: req.method,
        headers: requestHeaders(url, headers, target.hostHeader),
        body: req.body ?? null,
        signal: AbortSignal.any(signals),
        headersTimeout: req.headersTimeoutMs ?? this.idleTimeoutMs,
        bodyTimeout: this.idleTimeoutMs,
      });
      res.body.once("close", () => clearTimeout(timer));
      const header = (name: string): string | undefined => {
        const value = res.headers[name];
        return Array.isArray(value) ? value[0] : value;
      };
      return { status: res.statusCode, header, body: res.body };
    } catch (error) {
      clearTimeout(timer);
      throw await this.#explain(error, { url, target, signal: req.signal });
    }
  }

  /**
   * A TLS failure becomes a TlsError. When the server only hung up (how a TLS 1.3 server
   * refuses a client certificate looks to an HTTP client), a lone handshake tells why.
   */
  async #explain(
    error: unknown,
    { url, target, signal }: { url: URL; target: ResolvedTarget; signal: AbortSignal | undefined },
  ): Promise<unknown> {
    if (url.protocol !== "https:" || signal?.aborted) return error;
    const context = { url, settings: this.#tls };
    const known = tlsErrorOf(error, context);
    if (known || !isHangUp(error)) return known ?? error;
    const connect = target.connectUrl;
    const outcome = await probeTls(
      {
        address: connect.hostname.replace(/^\[|\]$/g, ""),
        port: Number(connect.port || 443),
        hostname: url.hostname,
      },
      this.#tls,
      signal,
    );
    return tlsErrorOfProbe(outcome, context, error) ?? error;
  }
}

/** The server closed or reset the connection (undici's and node's codes). */
function isHangUp(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (code === "UND_ERR_SOCKET" || code === "ECONNRESET" || code === "EPIPE") return true;
    current = current.cause;
  }
  return false;
}

function requestHeaders(
  url: URL,
  headers: Record<string, string>,
  hostHeader: string | undefined,
): Record<string, string> {
  const result = { ...headers };
  const hasAuth = Object.keys(result).some((name) => name.toLowerCase() === "authorization");
  if (!hasAuth && (url.username !== "" || url.password !== "")) {
    const pair = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
    result["authorization"] = `Basic ${Buffer.from(pair).toString("base64")}`;
  }
  if (hostHeader !== undefined) result["host"] = hostHeader;
  return result;
}

/** Only http(s) URLs can be fetched; anything else is a defect of the request, not the network. */
function parseHttpUrl(text: string, base?: URL): URL {
  let url: URL | undefined;
  try {
    url = new URL(text, base);
  } catch {
    url = undefined;
  }
  if (url?.protocol !== "http:" && url?.protocol !== "https:") {
    throw new InvalidInputError(`Not an http(s) URL: ${redactUrl(text)}`);
  }
  return url;
}

function withoutHeader(headers: Record<string, string>, name: string): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([key]) => key.toLowerCase() !== name));
}

function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}
