import { redactUrl as redactUrlText } from "../redact.js";

/**
 * Makes a URL safe to print (userinfo → `***@`, query → `?…`); the one implementation lives in
 * src/redact.ts, this accepts parsed URLs too.
 */
export function redactUrl(url: string | URL): string {
  return redactUrlText(typeof url === "string" ? url : url.href);
}
