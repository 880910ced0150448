/**
 * The one connection to the Docker engine: DOCKER_HOST read once (docker-host.ts), one dockerode
 * client. Every Docker client of this folder works on a connection; DockerEngine hands them out
 * over a shared one.
 */
import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import type Docker from "dockerode";
import { resolveDockerHost, type DockerEndpoint } from "./docker-host.js";
import { loadDockerode } from "./dockerode-module.js";

export interface DockerConnectionOptions {
  /** Where DOCKER_HOST and friends are read from (default: process.env). */
  env?: NodeJS.ProcessEnv | undefined;
  /** An open connection to share; when given, `env` is not read again. */
  connection?: DockerConnection | undefined;
}

export class DockerConnection {
  /** The engine address, as shown in messages (`unix:///var/run/docker.sock`). */
  readonly where: string;
  /** The host published ports are reached on: the engine's host, else loopback. */
  readonly publishedHost: string;
  readonly docker: Docker;
  private readonly endpoint: DockerEndpoint;
  private probeClient: Docker | undefined;

  constructor(env: NodeJS.ProcessEnv = process.env) {
    this.endpoint = resolveDockerHost(env);
    this.where = this.endpoint.where;
    this.publishedHost = this.endpoint.options.host ?? "127.0.0.1";
    const Dockerode = loadDockerode();
    this.docker = new Dockerode(this.endpoint.options);
  }

  /**
   * A client that opens a new connection for every request, for asking whether the engine is
   * there now. The shared client keeps connections alive, and an open connection outlives the
   * engine's listener: on SIGTERM dockerd closes its listener first, then keeps answering on
   * open connections while it stops every container (test/unit/container/docker-connection.test.ts).
   */
  get probe(): Docker {
    if (!this.probeClient) {
      const agent =
        this.endpoint.options.protocol === "https"
          ? new HttpsAgent({ keepAlive: false })
          : new HttpAgent({ keepAlive: false });
      // docker-modem takes `agent`; dockerode's type declarations omit it.
      const options: Docker.DockerOptions & { agent: HttpAgent } = {
        ...this.endpoint.options,
        agent,
      };
      const Dockerode = loadDockerode();
      this.probeClient = new Dockerode(options);
    }
    return this.probeClient;
  }

  /** The connection `options` name, else a new one on `options.env`. */
  static of(options: DockerConnectionOptions): DockerConnection {
    return options.connection ?? new DockerConnection(options.env ?? process.env);
  }
}
