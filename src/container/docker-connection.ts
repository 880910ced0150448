/**
 * The one connection to the Docker engine: DOCKER_HOST read once (docker-host.ts), one dockerode
 * client. Every Docker client of this folder works on a connection; DockerEngine hands them out
 * over a shared one.
 */
import { Agent as HttpAgent, type AgentOptions as HttpAgentOptions } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import { inspect } from "node:util";
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
    this.docker = new Dockerode(clientOptions(this.endpoint, { keepAlive: true }));
  }

  /**
   * A client that opens a new connection for every request, for asking whether the engine is
   * there now. The shared client keeps connections alive, and an open connection outlives the
   * engine's listener: on SIGTERM dockerd closes its listener first, then keeps answering on
   * open connections while it stops every container (test/unit/container/docker-connection.test.ts).
   */
  get probe(): Docker {
    if (!this.probeClient) {
      const Dockerode = loadDockerode();
      this.probeClient = new Dockerode(clientOptions(this.endpoint, { keepAlive: false }));
    }
    return this.probeClient;
  }

  /** The connection `options` name, else a new one on `options.env`. */
  static of(options: DockerConnectionOptions): DockerConnection {
    return options.connection ?? new DockerConnection(options.env ?? process.env);
  }
}

/**
 * The endpoint's options with an agent of our own: Node's default settings, or no kept-alive
 * connections; and on a unix socket, no TLS server name: Node works one out for every request
 * otherwise, and its first `net.isIP` call compiles a large expression (12–20 ms of CPU, in the
 * way of the first engine call).
 */
function clientOptions(
  endpoint: DockerEndpoint,
  { keepAlive }: { keepAlive: boolean },
): Docker.DockerOptions {
  const settings = keepAlive
    ? { keepAlive: true, scheduling: "lifo" as const, timeout: 5_000 }
    : { keepAlive: false };
  let agent: HttpAgent;
  if (endpoint.options.socketPath !== undefined) {
    const noServerName: HttpAgentOptions & { servername: string } = { ...settings, servername: "" };
    agent = new HttpAgent(noServerName);
  } else if (endpoint.options.protocol === "https") {
    agent = new HttpsAgent(settings);
  } else {
    agent = new HttpAgent(settings);
  }
  // docker-modem formats every request's options for its debug log, whether that log is on or
  // not, with every hidden property at any depth: through the agent and its sockets, 3–10 ms of
  // CPU per request, in the way of every engine call. The agent's own rendering is its name.
  Object.defineProperty(agent, inspect.custom, { value: () => "[docker agent]" });
  // docker-modem takes `agent`; dockerode's type declarations omit it.
  const options: Docker.DockerOptions & { agent: HttpAgent } = { ...endpoint.options, agent };
  return options;
}
