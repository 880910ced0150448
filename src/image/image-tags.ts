/**
 * Image names: the default `restager/<app>:<droplet md5 prefix>` plus `:latest`, user tags
 * checked against Docker's reference grammar, and the `--registry` prefix.
 */
import { UsageError } from "../errors.js";

export const defaultRepository = "restager";

/** Docker's path component: lowercase alphanumerics joined by `.`, `_`, `__` or runs of `-`. */
const component = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
const hostPart =
  "(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9-]+)*|\\[[0-9a-fA-F:]+\\])(?::\\d+)?";
const repositoryPattern = new RegExp(`^(?:${hostPart}/)?${component}(?:/${component})*$`);
const tagPattern = /^[\w][\w.-]{0,127}$/;

/** An app name as a Docker path component: lowercase, `[a-z0-9._-]`, alphanumeric at both ends. */
export function sanitizeAppName(name: string | undefined): string {
  const cleaned = (name ?? "")
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/[._-]{2,}/g, "-")
    .replace(/^[._-]+|[._-]+$/g, "")
    .slice(0, 100)
    .replace(/[._-]+$/, "");
  return cleaned === "" ? "app" : cleaned;
}

/** `restager/<app>:<first 12 of the droplet md5>` and `restager/<app>:latest`. */
export function defaultTags(appName: string | undefined, dropletMd5Hex: string): string[] {
  const repository = `${defaultRepository}/${sanitizeAppName(appName)}`;
  return [`${repository}:${dropletMd5Hex.slice(0, 12)}`, `${repository}:latest`];
}

/** Checks a `--tag` value and adds `:latest` when it has no tag; throws UsageError when invalid. */
export function normalizeTag(value: string): string {
  const { repository, tag } = splitTag(value);
  if (!repositoryPattern.test(repository) || !tagPattern.test(tag) || value.includes("@")) {
    throw new UsageError(`Invalid image name '${value}'`, {
      hint: "Use [HOST[:PORT]/]NAME[:TAG] with a lowercase NAME, e.g. --tag myorg/myapp:v1",
    });
  }
  return `${repository}:${tag}`;
}

/** Validates `--registry HOST[:PORT]`; returns it without a scheme or trailing slash. */
export function normalizeRegistry(value: string): string {
  const host = value.replace(/^https?:\/\//, "").replace(/\/+$/, "");
  if (!new RegExp(`^${hostPart}$`).test(host)) {
    throw new UsageError(`Invalid registry '${value}'`, {
      hint: "Use --registry HOST[:PORT], e.g. --registry 127.0.0.1:5000",
    });
  }
  return host;
}

/** `registry/name:tag` for `name:tag`; a name that already starts with that registry is kept. */
export function withRegistry(ref: string, registry: string | undefined): string {
  if (registry === undefined || ref.startsWith(`${registry}/`)) return ref;
  return `${registry}/${ref}`;
}

function splitTag(value: string): { repository: string; tag: string } {
  const slash = value.lastIndexOf("/");
  const colon = value.lastIndexOf(":");
  if (colon > slash) return { repository: value.slice(0, colon), tag: value.slice(colon + 1) };
  return { repository: value, tag: "latest" };
}
