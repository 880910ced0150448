import { InvalidInputError, UsageError } from "../errors.js";

/**
 * Maps a Diego `rootfs` to a Docker image reference.
 *
 * - `preloaded:NAME` (and `preloaded+layer:NAME?...`): the `--stack NAME=IMAGE` mapping when
 *   given, else `restager/NAME:latest` — the local stand-in that `scripts/setup-machine.sh`
 *   builds and tags for cflinuxfs2/3/4.
 * - `docker:///repo#tag`, `docker://registry/repo#tag`: the image named by the URL, the fragment
 *   being the tag (default `latest`).
 */
export function resolveStackImage(rootfs: string, stacks: ReadonlyMap<string, string>): string {
  const preloaded = /^preloaded(?:\+layer)?:([^?]+)/.exec(rootfs);
  if (preloaded?.[1]) {
    const stack = preloaded[1];
    return stacks.get(stack) ?? `${defaultStackRepository}/${stack}:latest`;
  }
  if (rootfs.startsWith("docker:")) return dockerUriToImage(rootfs);
  if (rootfs === "") {
    throw new InvalidInputError("The request names no rootfs", [
      { path: "rootfs", message: "missing" },
    ]);
  }
  throw new InvalidInputError(`Unsupported rootfs '${rootfs}'`, [
    { path: "rootfs", message: "expected preloaded:STACK or docker:///repo#tag" },
  ]);
}

export const defaultStackRepository = "restager";

/**
 * `docker:///library/nginx#1.25` → `library/nginx:1.25`; `docker://HOST:PORT/repo#tag` →
 * `HOST:PORT/repo:tag`; no fragment → `latest` (dockerapplifecycle's ParseDockerURL; Cloud
 * Controller's DockerURIConverter writes them so, with `library/` for official images).
 */
export function dockerUriToImage(uri: string): string {
  const match = /^docker:\/\/([^/]*)\/(.+?)(?:#(.+))?$/.exec(uri);
  if (!match?.[2]) {
    throw new InvalidInputError(`Invalid docker rootfs '${uri}'`, [
      { path: "rootfs", message: "expected docker:///repo#tag or docker://host/repo#tag" },
    ]);
  }
  const [, host, repo, tag] = match;
  const name = host ? `${host}/${repo}` : repo;
  return `${name}:${tag ?? "latest"}`;
}

/** Parses repeated `--stack NAME=IMAGE` flags. */
export function parseStackMappings(specs: readonly string[]): Map<string, string> {
  const mappings = new Map<string, string>();
  for (const spec of specs) {
    const [name, image] = splitOnce(spec, "=");
    if (!name || !image) {
      throw new UsageError(`Invalid --stack '${spec}'`, {
        hint: "Use --stack NAME=IMAGE, e.g. --stack cflinuxfs4=cloudfoundry/cflinuxfs4:latest",
      });
    }
    mappings.set(name, image);
  }
  return mappings;
}

function splitOnce(text: string, separator: string): [string, string] {
  const index = text.indexOf(separator);
  return index < 0 ? [text, ""] : [text.slice(0, index), text.slice(index + 1)];
}
