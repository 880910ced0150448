/**
 * `--insecure-registry`: restager cannot make the engine speak plain HTTP to a registry — the
 * engine decides, from its `insecure-registries` setting (default: 127.0.0.0/8, so loopback
 * registries such as 127.0.0.1:5000 or localhost:5000 need nothing). The flag asks restager to
 * check, before pushing, that the engine will accept the registry over HTTP, and to say how to
 * configure it when it will not.
 */
import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";
import type { RegistrySettings } from "../container/image-store.js";
import { UsageError } from "../errors.js";

export async function checkInsecureRegistry(
  registry: string,
  settings: RegistrySettings,
  resolve: (host: string) => Promise<string[]> = lookupAll,
): Promise<void> {
  const index = settings.indexes[registry];
  if (index) {
    if (!index.secure) return;
    throw notInsecure(registry);
  }
  const host = hostName(registry);
  const addresses = isIP(host) ? [host] : await resolve(host).catch(() => []);
  const allowed = new BlockList();
  for (const cidr of settings.insecureCidrs) {
    const [network, prefix] = cidr.split("/");
    if (!network || prefix === undefined) continue;
    allowed.addSubnet(network, Number(prefix), isIP(network) === 6 ? "ipv6" : "ipv4");
  }
  const ok = addresses.some((address) =>
    allowed.check(address, isIP(address) === 6 ? "ipv6" : "ipv4"),
  );
  if (!ok) throw notInsecure(registry);
}

function notInsecure(registry: string): UsageError {
  return new UsageError(
    `The Docker engine does not treat ${registry} as an insecure (plain HTTP) registry`,
    {
      hint: `Add "insecure-registries": ["${registry}"] to /etc/docker/daemon.json and restart dockerd, or drop --insecure-registry for a registry with TLS`,
    },
  );
}

/** `host:5000` → `host`; `[::1]:5000` → `::1`. */
function hostName(registry: string): string {
  const bracketed = /^\[([^\]]+)\]/.exec(registry);
  if (bracketed?.[1]) return bracketed[1];
  return registry.replace(/:\d+$/, "");
}

async function lookupAll(host: string): Promise<string[]> {
  return (await lookup(host, { all: true })).map((entry) => entry.address);
}
