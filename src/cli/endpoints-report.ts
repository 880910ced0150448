/**
 * `explain`'s Endpoints section: for each server of the request, what it demands (plain HTTP,
 * TLS, mutual TLS) and whether this run's TLS settings cover it.
 */
import { isIP } from "node:net";
import type { PlanEndpoint } from "../diego/explain/endpoints.js";
import type { TlsSettings } from "../http/tls-settings.js";

export function renderEndpoints(endpoints: readonly PlanEndpoint[], tls: TlsSettings): string[] {
  if (endpoints.length === 0) return [];
  const width = Math.max(...endpoints.map((e) => e.origin.length));
  const lines = ["Endpoints"];
  for (const endpoint of endpoints) {
    const head = `  ${endpoint.origin.padEnd(width)}  ${endpoint.role}: ${need(endpoint)}`;
    lines.push(`${head}; ${status(endpoint, tls).join("; ")}`);
    lines.push(`  ${" ".repeat(width)}  for ${endpoint.uses.join(", ")}`);
  }
  return lines;
}

function need(endpoint: PlanEndpoint): string {
  if (!endpoint.tls) return "plain HTTP";
  return endpoint.clientCertificate ? "mutual TLS (client certificate required)" : "TLS";
}

function status(endpoint: PlanEndpoint, tls: TlsSettings): string[] {
  if (!endpoint.tls) return ["nothing needed"];
  const result = [serverCheck(endpoint, tls)];
  if (endpoint.clientCertificate) {
    result.push(
      tls.client
        ? `presents the client certificate ${tls.client.source}`
        : "MISSING a client certificate: pass --cert FILE --key FILE",
    );
  }
  return result;
}

function serverCheck(endpoint: PlanEndpoint, tls: TlsSettings): string {
  if (tls.insecure) return "server certificate NOT verified (--insecure)";
  if (tls.caSource) return `verified with the system CAs + ${tls.caSource}`;
  const internal = endpoint.hostname.endsWith(".internal") || isIP(endpoint.hostname) !== 0;
  return internal
    ? "MISSING the platform's CA (a private CA signs internal names): pass --cacert FILE"
    : "verified with the system CAs";
}
