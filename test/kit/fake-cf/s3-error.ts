/** The S3-style XML errors blobstores answer with. */
import { randomBytes } from "node:crypto";
import { sendTyped, type Exchange } from "./exchange.js";

export interface S3Error {
  status: number;
  code: string;
  message: string;
}

export const S3_ERRORS = {
  expired: { status: 403, code: "AccessDenied", message: "Request has expired" },
  badSignature: {
    status: 403,
    code: "SignatureDoesNotMatch",
    message: "The request signature we calculated does not match the signature you provided.",
  },
  noSuchKey: { status: 404, code: "NoSuchKey", message: "The specified key does not exist." },
} satisfies Record<string, S3Error>;

export function sendS3Error(ex: Exchange, error: S3Error): Promise<void> {
  const text =
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${error.code}</Code>` +
    `<Message>${error.message}</Message><Resource>${escapeXml(ex.path)}</Resource>` +
    `<RequestId>${randomBytes(8).toString("hex").toUpperCase()}</RequestId></Error>\n`;
  return sendTyped(ex, error.status, { type: "application/xml", text });
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
