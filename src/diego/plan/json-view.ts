import type { DiegoRequest } from "../request.js";
import {
  maskSecretsInText,
  redactArgs,
  redactEnvValue,
  redactUrlsInText,
  redacted,
} from "../../core/redact.js";
import { collectSecrets } from "./collect-secrets.js";

/** Model fields whose whole value is a secret. */
const secretFields = new Set(["privateKey", "imagePassword"]);

/**
 * The normalised request (camelCase model) as a JSON value safe to print for `--json`: URL
 * userinfo and queries, VCAP_SERVICES and credential-like env values, secret run arguments
 * (ssh host keys), the ssh route private key and `imagePassword` are redacted, and every other
 * string is scrubbed of the request's secrets. The request itself is not modified.
 */
export function toJsonView(request: DiegoRequest): unknown {
  const secrets = collectSecrets(request);
  return redactValue(JSON.parse(JSON.stringify(request)) as unknown, undefined, secrets);
}

function redactValue(value: unknown, key: string | undefined, secrets: string[]): unknown {
  if (typeof value === "string") {
    if (key !== undefined && secretFields.has(key)) return value === "" ? "" : redacted;
    return maskSecretsInText(redactUrlsInText(value), secrets);
  }
  if (Array.isArray(value)) {
    const elements =
      key === "args" && value.every((arg) => typeof arg === "string") ? redactArgs(value) : value;
    return elements.map((element: unknown) => redactValue(element, undefined, secrets));
  }
  if (typeof value === "object" && value !== null) {
    const record = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [childKey, child] of Object.entries(record)) {
      out[childKey] = redactValue(child, childKey, secrets);
    }
    if (typeof record.name === "string" && typeof record.value === "string") {
      out.value = maskSecretsInText(redactEnvValue(record.name, record.value), secrets);
    }
    return out;
  }
  return value;
}
