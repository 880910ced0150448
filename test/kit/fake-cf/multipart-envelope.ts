/**
 * The multipart/form-data wrapper cc-uploader puts around an upload: one file part, field
 * `file`, Content-Type application/octet-stream (what Go's `CreateFormFile` writes), so the
 * body can be streamed with a precomputed Content-Length.
 */
import { randomBytes } from "node:crypto";

export interface MultipartEnvelope {
  contentType: string;
  head: Buffer;
  tail: Buffer;
}

export function multipartEnvelope(field: string, filename: string): MultipartEnvelope {
  const boundary = randomBytes(30).toString("hex");
  const head =
    `--${boundary}\r\n` +
    `Content-Disposition: form-data; name="${field}"; filename="${filename}"\r\n` +
    `Content-Type: application/octet-stream\r\n\r\n`;
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    head: Buffer.from(head),
    tail: Buffer.from(`\r\n--${boundary}--\r\n`),
  };
}
