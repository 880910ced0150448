/**
 * Signs and checks blobstore read URLs.
 *
 * The real CC WebDAV blobstore (nginx `secure_link`) signs with `md5=` = base64url(MD5 of
 * `<expires><path> <secret>`) — the `md5` is NOT a checksum of the blob, and restager must
 * not treat it as one. The fake computes it the same way and adds a `signature=` (HMAC-SHA256
 * over path and expiry) so tampering with either is caught. The host is not signed, so
 * rewriting the host of a URL keeps it valid, as with the real one.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";

export type SignatureCheck = "ok" | "expired" | "invalid";

export class UrlSigner {
  readonly #secret = randomBytes(32).toString("hex");

  /** The query string (without `?`) for `path` expiring at `expires` (Unix seconds). */
  sign(path: string, expires: number): string {
    const query = new URLSearchParams({
      md5: this.#secureLink(path, expires),
      expires: String(expires),
      signature: this.#hmac(path, expires),
    });
    return query.toString();
  }

  check(path: string, query: URLSearchParams, nowSeconds: number): SignatureCheck {
    const expires = Number(query.get("expires"));
    const md5 = query.get("md5") ?? "";
    const signature = query.get("signature") ?? "";
    if (!Number.isInteger(expires)) return "invalid";
    const valid =
      safeEqual(md5, this.#secureLink(path, expires)) &&
      safeEqual(signature, this.#hmac(path, expires));
    if (!valid) return "invalid";
    return expires < nowSeconds ? "expired" : "ok";
  }

  #secureLink(path: string, expires: number): string {
    return createHash("md5").update(`${expires}${path} ${this.#secret}`).digest("base64url");
  }

  #hmac(path: string, expires: number): string {
    return createHmac("sha256", this.#secret).update(`${path}\n${expires}`).digest("base64url");
  }
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
