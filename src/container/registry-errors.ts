/**
 * Registry failures the engine reports while pushing or pulling, turned into UnavailableErrors
 * whose hint names the fix. The engine, not restager, talks to the registry: its daemon
 * settings (insecure-registries, proxies, CA certificates) are what decides.
 */
import { UnavailableError } from "../errors.js";
import { engineMessage, isConnectionError } from "./docker-errors.js";

/** The engine's words → the fix, first match wins. */
const diagnoses: { pattern: RegExp; hint: (host: string) => string }[] = [
  {
    pattern: /server gave HTTP response to HTTPS client/i,
    hint: (host) =>
      `${host} speaks plain HTTP. Loopback registries (127.0.0.1, localhost) need nothing; for ` +
      `others add "insecure-registries": ["${host}"] to the engine's /etc/docker/daemon.json ` +
      `and restart dockerd (see --insecure-registry in 'restager image --help')`,
  },
  {
    pattern:
      /unauthorized|authentication required|denied|incorrect username or password|no basic auth credentials/i,
    hint: (host) =>
      `Give credentials for ${host} with --registry-user and --registry-password-stdin, or run 'docker login ${host}' (or name a credential helper in the Docker config)`,
  },
  {
    pattern: /manifest unknown|not found: manifest|name unknown/i,
    hint: (host) =>
      `${host} has no such image: check the repository and tag (a docker:// rootfs names the tag after '#')`,
  },
  {
    pattern: /x509|certificate|tls:/i,
    hint: (host) =>
      `The engine does not trust ${host}'s certificate: install its CA in /etc/docker/certs.d/${host}/ca.crt, or use --insecure-registry for a plain-HTTP registry`,
  },
  {
    pattern: /connection refused|no such host|i\/o timeout|network is unreachable|dial tcp|EOF/i,
    hint: (host) =>
      `The Docker engine cannot reach ${host}: check the address given with --registry, that the registry runs, and (for plain HTTP) the engine's insecure-registries`,
  },
];

/** A hinted UnavailableError for a push/pull failure, or undefined when it is not a registry one. */
export function registryError(
  error: unknown,
  action: "push" | "pull",
  ref: string,
): UnavailableError | undefined {
  if (isConnectionError(error)) return undefined; // the engine itself is unreachable
  const detail = engineMessage(error);
  const diagnosis = diagnoses.find((candidate) => candidate.pattern.test(detail));
  if (!diagnosis) return undefined;
  return new UnavailableError(`Cannot ${action} ${ref}: ${detail}`, {
    hint: diagnosis.hint(registryHost(ref)),
    cause: error,
  });
}

/** The registry part of a reference (`host[:port]`), Docker Hub when there is none. */
export function registryHost(ref: string): string {
  const first = ref.split("/")[0] ?? "";
  const isHost =
    ref.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost");
  return isHost ? first : "docker.io";
}
