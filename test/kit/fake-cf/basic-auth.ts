/** HTTP basic auth as Cloud Controller's v2 internal endpoints require it (`staging.auth`). */
import type { IncomingMessage } from "node:http";
import { sendJson, type Exchange } from "./exchange.js";

export interface Credentials {
  username: string;
  password: string;
}

export function hasBasicAuth(req: IncomingMessage, credentials: Credentials): boolean {
  const match = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? "");
  if (match === null) return false;
  const decoded = Buffer.from(match[1] ?? "", "base64").toString("utf8");
  return decoded === `${credentials.username}:${credentials.password}`;
}

export function sendUnauthorized(ex: Exchange): Promise<void> {
  ex.res.setHeader("WWW-Authenticate", 'Basic realm="fake-cf"');
  return sendJson(ex, 401, {
    code: 10002,
    description: "Authentication error",
    error_code: "CF-NotAuthenticated",
  });
}
