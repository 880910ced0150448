/**
 * Registry credentials for a push: `--registry-user` with `--registry-password-stdin`, else
 * the user's Docker config (`$DOCKER_CONFIG/config.json`, default `~/.docker/config.json`),
 * whose `auths.<host>.auth` holds base64 `user:password`. Credential helpers and stores are
 * programs restager does not run; such a config gets a note instead. Secrets are never printed.
 */
import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import type { RegistryAuth } from "../container/image-store.js";
import { InvalidInputError, UsageError } from "../errors.js";

export interface CredentialsInput {
  registry: string;
  user?: string | undefined;
  password?: string | undefined;
  env: NodeJS.ProcessEnv;
}

export interface ResolvedCredentials {
  auth?: RegistryAuth | undefined;
  source: "flags" | "docker-config" | "none";
  /** Said to the user when the Docker config names a helper restager cannot use. */
  note?: string | undefined;
}

interface DockerConfig {
  auths?: Record<string, { auth?: string; identitytoken?: string }>;
  credsStore?: string;
  credHelpers?: Record<string, string>;
}

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
  return fromDockerConfig(registry, dockerConfigPath(input.env));
}

export function dockerConfigPath(env: NodeJS.ProcessEnv): string {
  return join(env.DOCKER_CONFIG || join(homedir(), ".docker"), "config.json");
}

async function fromDockerConfig(registry: string, path: string): Promise<ResolvedCredentials> {
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
  const entry = Object.entries(config.auths ?? {}).find(([key]) => hostOf(key) === registry)?.[1];
  if (entry?.identitytoken) {
    return {
      auth: { serveraddress: registry, identitytoken: entry.identitytoken },
      source: "docker-config",
    };
  }
  if (entry?.auth) return { auth: fromBasic(entry.auth, registry), source: "docker-config" };
  const helper = config.credHelpers?.[registry] ?? config.credsStore;
  const note = helper
    ? `${path} keeps credentials in the '${helper}' helper, which restager does not run; pushing without credentials (use --registry-user if the registry needs them)`
    : undefined;
  return { source: "none", note };
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
