/**
 * Registry credentials for a push or a pull, first found wins:
 * 1. flags: `--registry-user` with `--registry-password-stdin`;
 * 2. the request's own (`image_username` / `image_password` of a docker-rootfs LRP);
 * 3. the user's Docker config (`$DOCKER_CONFIG/config.json`, default `~/.docker/config.json`),
 *    read as the docker CLI reads it: a credential helper for the registry (`credHelpers`), else
 *    the credentials store (`credsStore`) — with either, the helper alone decides — else
 *    `auths.<host>` (`auth`, base64 `user:password`, or `identitytoken`).
 * Docker Hub's key in the config is `https://index.docker.io/v1/`. Secrets are never printed.
 */
import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import type { RegistryAuth } from "../container/image-store.js";
import { InvalidInputError, UsageError } from "../errors.js";
import { runCredentialHelper, type CredentialHelperRunner } from "./credential-helper.js";

export interface CredentialsInput {
  /** `host[:port]`, `docker.io` for Docker Hub. */
  registry: string;
  user?: string | undefined;
  password?: string | undefined;
  /** The request's own credentials (an LRP's image_username / image_password). */
  request?: { username: string; password: string } | undefined;
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal | undefined;
  /** How helpers run; default: the `docker-credential-<name>` program on the PATH. */
  runHelper?: CredentialHelperRunner | undefined;
}

export type CredentialsSource =
  "flags" | "request" | "credential-helper" | "docker-config" | "none";

export interface ResolvedCredentials {
  auth?: RegistryAuth | undefined;
  source: CredentialsSource;
  /** The helper that answered (source "credential-helper"). */
  helper?: string | undefined;
  /** Said to the user (e.g. a helper that had no credentials for the registry). */
  note?: string | undefined;
}

interface DockerConfig {
  auths?: Record<string, { auth?: string; identitytoken?: string }>;
  credsStore?: string;
  credHelpers?: Record<string, string>;
}

/** The key Docker Hub's credentials are stored under, by the docker CLI and its helpers. */
export const dockerHubServerAddress = "https://index.docker.io/v1/";

export async function registryCredentials(input: CredentialsInput): Promise<ResolvedCredentials> {
  const { registry, user, password } = input;
  if (user !== undefined || password !== undefined) {
    if (!user || password === undefined || password === "") {
      throw new UsageError("--registry-user and --registry-password-stdin go together", {
        hint: 'printf %s "$PASSWORD" | restager ... --registry-user NAME --registry-password-stdin',
      });
    }
    return { auth: { username: user, password, serveraddress: registry }, source: "flags" };
  }
  if (input.request?.username) {
    const { username, password: secret } = input.request;
    return { auth: { username, password: secret, serveraddress: registry }, source: "request" };
  }
  return fromDockerConfig(input, dockerConfigPath(input.env));
}

export function dockerConfigPath(env: NodeJS.ProcessEnv): string {
  return join(env.DOCKER_CONFIG || join(homedir(), ".docker"), "config.json");
}

async function fromDockerConfig(
  input: CredentialsInput,
  path: string,
): Promise<ResolvedCredentials> {
  const { registry } = input;
  let config: DockerConfig;
  try {
    config = JSON.parse(await readFile(path, "utf8")) as DockerConfig;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { source: "none" };
    throw new InvalidInputError(`Cannot read the Docker config ${path}`, [], {
      hint: "Fix or remove it, or give credentials with --registry-user",
      cause: error,
    });
  }
  const server = serverAddress(registry);
  const helper =
    config.credHelpers?.[server] ?? config.credHelpers?.[registry] ?? config.credsStore;
  if (helper) {
    const run = input.runHelper ?? runCredentialHelper;
    const found = await run(helper, server, { env: input.env, signal: input.signal });
    if (!found) {
      const note = `The Docker credential helper '${helper}' has no credentials for ${server}; going on without`;
      return { source: "none", note };
    }
    return { auth: { serveraddress: registry, ...found }, source: "credential-helper", helper };
  }
  const entry = Object.entries(config.auths ?? {}).find(([key]) => hostOf(key) === hostOf(server));
  const value = entry?.[1];
  if (value?.identitytoken) {
    return {
      auth: { serveraddress: registry, identitytoken: value.identitytoken },
      source: "docker-config",
    };
  }
  if (value?.auth) return { auth: fromBasic(value.auth, registry), source: "docker-config" };
  return { source: "none" };
}

/** What the docker CLI looks a registry up by: the host, or Docker Hub's v1 URL. */
export function serverAddress(registry: string): string {
  return registry === "docker.io" || registry === "index.docker.io" || registry === ""
    ? dockerHubServerAddress
    : registry;
}

/** `https://host:5000/v1/` → `host:5000`. */
function hostOf(key: string): string {
  return key.replace(/^[a-z]+:\/\//i, "").replace(/\/.*$/, "");
}

function fromBasic(auth: string, registry: string): RegistryAuth {
  const decoded = Buffer.from(auth, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return { serveraddress: registry, auth };
  return {
    serveraddress: registry,
    username: decoded.slice(0, colon),
    password: decoded.slice(colon + 1),
  };
}
