/**
 * Where the Docker engine is: DOCKER_HOST (`unix://`, `tcp://`, `http(s)://`, `ssh://`, or a
 * bare `host:port`), else the default unix socket. TLS follows the Docker CLI's variables
 * (DOCKER_TLS_VERIFY=1 or port 2376 → https, certificates from DOCKER_CERT_PATH).
 */
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import type Docker from "dockerode";
import { UsageError } from "../errors.js";

export interface DockerEndpoint {
  /** Human-readable address for messages, e.g. `unix:///var/run/docker.sock`. */
  where: string;
  options: Docker.DockerOptions;
}

export const defaultSocket = "/var/run/docker.sock";

export function resolveDockerHost(
  env: NodeJS.ProcessEnv,
  exists: (path: string) => boolean = existsSync,
): DockerEndpoint {
  const host = env.DOCKER_HOST?.trim() ?? "";
  if (host === "") return socketEndpoint(defaultSocketPath(exists));
  if (host.startsWith("unix://")) {
    return socketEndpoint(host.slice("unix://".length) || defaultSocketPath(exists));
  }
  if (host.startsWith("npipe://")) return socketEndpoint(host.slice("npipe://".length));
  return networkEndpoint(host.includes("://") ? host : `tcp://${host}`, env);
}

function defaultSocketPath(exists: (path: string) => boolean): string {
  // Docker Desktop's per-user socket, as the Docker CLI and dockerode try it.
  const user = join(homedir(), ".docker", "run", "docker.sock");
  return exists(user) ? user : defaultSocket;
}

function socketEndpoint(socketPath: string): DockerEndpoint {
  // `host: undefined` on purpose: dockerode merges its own reading of process.env.DOCKER_HOST
  // under these options, and a host there would win over socketPath.
  return { where: `unix://${socketPath}`, options: { socketPath, host: undefined } };
}

function networkEndpoint(address: string, env: NodeJS.ProcessEnv): DockerEndpoint {
  let url: URL;
  try {
    url = new URL(address);
  } catch (cause) {
    throw new UsageError(`DOCKER_HOST is not a valid address: ${address}`, {
      hint: "Use unix:///path/to/docker.sock or tcp://HOST:PORT",
      cause,
    });
  }
  const hostname = url.hostname.replace(/^\[(.*)\]$/, "$1");
  if (url.protocol === "ssh:") {
    const port = url.port || "22";
    const options = { protocol: "ssh", host: hostname, port, username: url.username } as const;
    return { where: `ssh://${url.username ? `${url.username}@` : ""}${url.host}`, options };
  }
  const port = url.port || (url.protocol === "https:" ? "2376" : "2375");
  const tls = url.protocol === "https:" || env.DOCKER_TLS_VERIFY === "1" || port === "2376";
  const options: Docker.DockerOptions = {
    protocol: tls ? "https" : "http",
    host: hostname,
    port,
    ...(tls && env.DOCKER_CERT_PATH ? readCertificates(env.DOCKER_CERT_PATH) : {}),
  };
  return { where: `${tls ? "https" : "tcp"}://${url.hostname}:${port}`, options };
}

function readCertificates(dir: string): Pick<Docker.DockerOptions, "ca" | "cert" | "key"> {
  try {
    return {
      ca: readFileSync(join(dir, "ca.pem")),
      cert: readFileSync(join(dir, "cert.pem")),
      key: readFileSync(join(dir, "key.pem")),
    };
  } catch (cause) {
    throw new UsageError(`Cannot read the Docker TLS certificates in ${dir}`, {
      hint: "DOCKER_CERT_PATH must hold ca.pem, cert.pem and key.pem",
      cause,
    });
  }
}
