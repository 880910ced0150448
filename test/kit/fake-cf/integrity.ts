/**
 * Cloud Controller's upload integrity rules (docs/diego.md §5.3): a `Content-Digest` header, when
 * present, must be well formed, use a known algorithm and match; otherwise `Content-MD5`, when
 * present, must match. Returns CC's reason text, or undefined when the body is accepted.
 */
import type { IncomingHttpHeaders } from "node:http";
import type { Digests } from "./digests.js";

const DIGEST_FORMAT = /^\s*([a-z0-9-]+)\s*=\s*:([A-Za-z0-9+/=]*):\s*$/;
const KNOWN_ALGORITHMS = new Set(["sha512", "sha256", "sha1", "md5"]);

export function integrityProblem(
  headers: IncomingHttpHeaders,
  digests: Digests,
): string | undefined {
  const contentDigest = headerValue(headers["content-digest"]);
  if (contentDigest !== undefined) return contentDigestProblem(contentDigest, digests);
  return contentMd5Problem(headerValue(headers["content-md5"]), digests);
}

/**
 * The hash integrityProblem will compare, known from the headers before the body is read:
 * `md5` or `sha256`, or undefined when it compares none (no digest header, or a Content-Digest
 * it refuses without hashing).
 */
export function checkedHash(headers: IncomingHttpHeaders): "md5" | "sha256" | undefined {
  const contentDigest = headerValue(headers["content-digest"]);
  if (contentDigest === undefined)
    return headerValue(headers["content-md5"]) === undefined ? undefined : "md5";
  const match = DIGEST_FORMAT.exec(contentDigest);
  const algorithm = match === null ? undefined : bareAlgorithm(match);
  return algorithm === "md5" || algorithm === "sha256" ? algorithm : undefined;
}

/** Executors send RFC 9530 names (`sha-256`); the bare form (`sha256`) is accepted too. */
function bareAlgorithm(match: RegExpExecArray): string {
  return (match[1] ?? "").replace("-", "");
}

function contentMd5Problem(value: string | undefined, digests: Digests): string | undefined {
  return value !== undefined && !sameBase64(value, digests.md5)
    ? "content md5 did not match"
    : undefined;
}

function contentDigestProblem(value: string, digests: Digests): string | undefined {
  const match = DIGEST_FORMAT.exec(value);
  if (match === null) return "invalid content digest header format";
  const algorithm = bareAlgorithm(match);
  if (!KNOWN_ALGORITHMS.has(algorithm)) return "unsupported digest algorithm";
  // The fake hashes only MD5 and SHA-256 (what executors send); CC also knows sha1/sha512.
  const expectedHex =
    algorithm === "sha256" ? digests.sha256 : algorithm === "md5" ? digests.md5 : undefined;
  if (expectedHex === undefined) return "unsupported digest algorithm";
  return sameBase64(match[2] ?? "", expectedHex) ? undefined : "content digest did not match";
}

function sameBase64(base64: string, hex: string): boolean {
  return Buffer.from(base64.trim(), "base64").toString("hex") === hex;
}

/**
 * A header's first value; a blank one counts as absent, as at CC (cc-uploader forwards both
 * digest headers on every upload, empty when the executor sent none).
 */
export function headerValue(value: string | string[] | undefined): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first.trim() === "" ? undefined : first;
}
