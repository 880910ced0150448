/**
 * The servers a replay talks to, one per origin, with what each demands on a current Cloud
 * Foundry (docs/diego.md §5; capi-release cc_uploader and cloud_controller_ng specs):
 * cc-uploader and Cloud Controller's internal API over https want a client certificate (mutual
 * TLS); the file server and the blobstore serve https signed by the platform's CA.
 */
import { findActions, type Action } from "../actions.js";
import type { DiegoRequest } from "../request.js";

export type EndpointRole =
  "file server" | "blobstore" | "cc-uploader" | "Cloud Controller" | "server";

export interface PlanEndpoint {
  /** `https://host:port`, no credentials. */
  origin: string;
  hostname: string;
  role: EndpointRole;
  tls: boolean;
  /** The platform refuses clients without a certificate of its CA (at the handshake). */
  clientCertificate: boolean;
  /** What goes there: `download app package`, `upload droplet`, `callback`. */
  uses: string[];
}

/** Every origin of the request's downloads, uploads and callback, in first-use order. */
export function planEndpoints(request: DiegoRequest): PlanEndpoint[] {
  const spec = request.kind === "task" ? request.definition : request;
  const uses: [string, string][] = [
    ...spec.cachedDependencies.map((d): [string, string] => [
      d.from,
      `download ${d.name || "lifecycle"}`,
    ]),
    ...spec.imageLayers.map((l): [string, string] => [l.url, `download ${l.name}`]),
  ];
  for (const root of roots(request)) {
    for (const d of findActions(root, "download")) uses.push([d.from, `download ${d.artifact}`]);
    for (const u of findActions(root, "upload")) uses.push([u.to, `upload ${u.artifact}`]);
  }
  if (request.kind === "task" && request.definition.completionCallbackUrl !== "") {
    uses.push([request.definition.completionCallbackUrl, "callback"]);
  }
  const endpoints = new Map<string, PlanEndpoint>();
  for (const [text, use] of uses) {
    if (!URL.canParse(text)) continue;
    const url = new URL(text);
    if (url.protocol !== "http:" && url.protocol !== "https:") continue;
    const endpoint = endpoints.get(url.origin) ?? newEndpoint(url);
    if (!endpoint.uses.includes(use)) endpoint.uses.push(use);
    endpoints.set(url.origin, endpoint);
  }
  return [...endpoints.values()];
}

function roots(request: DiegoRequest): Action[] {
  const setup = request.kind === "task" ? request.definition.setup : request.setup;
  const action = request.kind === "task" ? request.definition.action : request.action;
  const monitor = request.kind === "lrp" ? request.monitor : undefined;
  return [setup, action, monitor].filter((root): root is Action => root !== undefined);
}

function newEndpoint(url: URL): PlanEndpoint {
  const role = roleOf(url);
  const tls = url.protocol === "https:";
  const mutual = role === "cc-uploader" || role === "Cloud Controller";
  return {
    origin: url.origin,
    hostname: url.hostname,
    role,
    tls,
    clientCertificate: tls && mutual,
    uses: [],
  };
}

function roleOf(url: URL): EndpointRole {
  if (url.pathname.startsWith("/v1/static/")) return "file server";
  if (/^\/v1\/(droplet|build_artifacts)\//.test(url.pathname)) return "cc-uploader";
  if (/^\/(internal|staging)\//.test(url.pathname)) return "Cloud Controller";
  return url.hostname.includes("blobstore") ? "blobstore" : "server";
}
