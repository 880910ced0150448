/**
 * `--resolve HOST[:PORT]=ADDR[:PORT]`: send requests for HOST to ADDR, like curl's --resolve,
 * while keeping the original Host header and (for https) the original TLS server name, so
 * virtual hosts and certificates still match. HOST may start with `*.` (an extension to curl)
 * to cover every subdomain, e.g. `*.service.cf.internal=127.0.0.1`.
 */
import { UsageError } from "../errors.js";

export interface ResolveRule {
  /** Lower-case host name, or `*.suffix`. */
  host: string;
  /** Only requests to this port match; undefined = any port. */
  port?: number | undefined;
  /** Where to connect instead (host name or IP; IPv6 without brackets). */
  address: string;
  /** Port to connect to; undefined = the URL's own port. */
  addressPort?: number | undefined;
}

export type ResolveMap = readonly ResolveRule[];

export interface ResolvedTarget {
  /** The URL to connect to (same path and query as the original). */
  connectUrl: URL;
  /** Host header to send; undefined when no rule applied. */
  hostHeader: string | undefined;
  /** TLS server name to present; undefined when no rule applied or not https. */
  servername: string | undefined;
}

const example = "cc-uploader.service.cf.internal:9091=127.0.0.1:8091";

/** Parses one `HOST[:PORT]=ADDR[:PORT]` spec; throws UsageError with an example when invalid. */
export function parseResolveSpec(spec: string): ResolveRule {
  const eq = spec.indexOf("=");
  const left = eq === -1 ? undefined : splitHostPort(spec.slice(0, eq));
  const right = eq === -1 ? undefined : splitHostPort(spec.slice(eq + 1));
  if (!left || !right || !isValidHost(left.host, true) || !isValidHost(right.host, false)) {
    throw new UsageError(`Invalid --resolve value '${spec}'`, {
      hint: `Use HOST[:PORT]=ADDR[:PORT], for example --resolve ${example}`,
    });
  }
  return {
    host: left.host.toLowerCase(),
    port: left.port,
    address: right.host,
    addressPort: right.port,
  };
}

/** Applies the first matching rule (exact host names before wildcards) to `url`. */
export function applyResolveMap(url: URL, map: ResolveMap): ResolvedTarget {
  const rule = findRule(url, map);
  if (!rule) return { connectUrl: url, hostHeader: undefined, servername: undefined };
  const connectUrl = new URL(url.href);
  connectUrl.username = "";
  connectUrl.password = "";
  connectUrl.hostname = rule.address.includes(":") ? `[${rule.address}]` : rule.address;
  connectUrl.port = String(rule.addressPort ?? effectivePort(url));
  return {
    connectUrl,
    hostHeader: url.host,
    servername: url.protocol === "https:" ? url.hostname : undefined,
  };
}

function findRule(url: URL, map: ResolveMap): ResolveRule | undefined {
  const host = url.hostname.toLowerCase();
  const port = effectivePort(url);
  const portMatches = (rule: ResolveRule): boolean => rule.port === undefined || rule.port === port;
  return (
    map.find((rule) => rule.host === host && portMatches(rule)) ??
    map.find(
      (rule) =>
        rule.host.startsWith("*.") && host.endsWith(rule.host.slice(1)) && portMatches(rule),
    )
  );
}

function effectivePort(url: URL): number {
  if (url.port !== "") return Number(url.port);
  return url.protocol === "https:" ? 443 : 80;
}

function splitHostPort(text: string): { host: string; port: number | undefined } | undefined {
  const bracketed = /^\[([0-9a-fA-F:.]+)\](?::(\d+))?$/.exec(text);
  const plain = /^([^:[\]]+)(?::(\d+))?$/.exec(text);
  const match = bracketed ?? plain;
  if (!match?.[1]) return undefined;
  const port = match[2] === undefined ? undefined : Number(match[2]);
  if (port !== undefined && (port < 1 || port > 65535)) return undefined;
  return { host: match[1], port };
}

function isValidHost(host: string, allowWildcard: boolean): boolean {
  if (host.includes(":")) return true;
  const name = allowWildcard && host.startsWith("*.") ? host.slice(2) : host;
  return /^[\w-]+(\.[\w-]+)*$/.test(name) && !name.startsWith("-");
}
