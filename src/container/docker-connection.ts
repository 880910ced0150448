/**
 * The one connection to the Docker engine: DOCKER_HOST read once (docker-host.ts), one dockerode
 * client. Every Docker client of this folder works on a connection; DockerEngine hands them out
 * over a shared one.
 */
import type Docker from "dockerode";
import { resolveDockerHost } from "./docker-host.js";
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

  constructor(env: NodeJS.ProcessEnv = process.env) {
    const endpoint = resolveDockerHost(env);
    this.where = endpoint.where;
    this.publishedHost = endpoint.options.host ?? "127.0.0.1";
    const Dockerode = loadDockerode();
    this.docker = new Dockerode(endpoint.options);
  }

  /** The connection `options` name, else a new one on `options.env`. */
  static of(options: DockerConnectionOptions): DockerConnection {
    return options.connection ?? new DockerConnection(options.env ?? process.env);
  }
}
