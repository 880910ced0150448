import type { HttpRoute, Routes, SshRoute, TcpRoute } from "../desired-lrp.js";
import { JsonReader } from "./json-reader.js";

/**
 * Reads `routes`, a map of opaque JSON per router (docs/diego.md §4.5). The keys restager
 * uses are typed; other keys are kept verbatim in `other`. Route entries are not checked for
 * unknown fields: routers define them, not BBS.
 */
export function readRoutes(parent: JsonReader): Routes {
  const routes: Routes = { http: [], tcp: [], internal: [], other: {} };
  const map = parent.object("routes");
  if (!map) return routes;
  for (const [key, value] of Object.entries(map.fields)) {
    if (key === "cf-router") routes.http = entries(map, key).map(readHttpRoute);
    else if (key === "tcp-router") routes.tcp = entries(map, key).map(readTcpRoute);
    else if (key === "internal-router") routes.internal = entries(map, key).map(readInternalRoute);
    else if (key === "diego-ssh") routes.ssh = readSshRoute(map.object(key));
    else routes.other[key] = value;
  }
  return routes;
}

function entries(map: JsonReader, key: string): JsonReader[] {
  return (map.array(key) ?? []).flatMap((element) => {
    const entry = JsonReader.of(element.value, element.path, map.log);
    return entry ? [entry] : [];
  });
}

/** `route_service_url` is `null` in Cloud Controller's Oj output when there is none. */
function readHttpRoute(entry: JsonReader): HttpRoute {
  return {
    hostnames: entry.strings("hostnames"),
    port: entry.number("port", { min: 0, max: 65535 }) ?? 0,
    routeServiceUrl: entry.string("route_service_url") || undefined,
    protocol: entry.string("protocol") || undefined,
  };
}

function readTcpRoute(entry: JsonReader): TcpRoute {
  return {
    routerGroupGuid: entry.string("router_group_guid") ?? "",
    externalPort: entry.number("external_port", { min: 0, max: 65535 }) ?? 0,
    containerPort: entry.number("container_port", { min: 0, max: 65535 }) ?? 0,
  };
}

function readInternalRoute(entry: JsonReader): string {
  return entry.string("hostname") ?? "";
}

function readSshRoute(entry: JsonReader | undefined): SshRoute | undefined {
  if (!entry) return undefined;
  return {
    containerPort: entry.number("container_port", { min: 0, max: 65535 }) ?? 0,
    hostFingerprint: entry.string("host_fingerprint") ?? "",
    privateKey: entry.string("private_key") ?? "",
  };
}
