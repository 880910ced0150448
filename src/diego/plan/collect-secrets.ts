import type { DiegoRequest } from "../request.js";
import { findPrivateKeys, findUrls, isSecretEnvName, secretArgValues } from "../../core/redact.js";

/** Query parameters shorter than this, or all digits, are not signatures (`timeout=900`). */
const minimumSignatureLength = 8;

/**
 * Every secret a request carries, for `maskSecretsInText` over text restager did not produce
 * (container output, error causes): URL passwords and signed-query values (also of URLs nested
 * in query parameters), credential-like env values and the credentials inside VCAP_SERVICES,
 * secret flag values in run args (diego-sshd `-hostKey`), PEM private keys, the ssh route key
 * and `image_password`.
 */
export function collectSecrets(request: DiegoRequest): string[] {
  const secrets = new Set<string>();
  walk(request, undefined, secrets);
  return [...secrets].filter((secret) => secret.length > 0);
}

function walk(value: unknown, key: string | undefined, secrets: Set<string>): void {
  if (typeof value === "string") {
    if (key === "privateKey" || key === "imagePassword") secrets.add(value);
    for (const url of findUrls(value)) addUrlSecrets(url, secrets);
    for (const pem of findPrivateKeys(value)) secrets.add(pem);
  } else if (Array.isArray(value)) {
    if (key === "args") for (const arg of secretArgValues(value as string[])) secrets.add(arg);
    for (const element of value) walk(element, undefined, secrets);
  } else if (typeof value === "object" && value !== null) {
    const record = value as Record<string, unknown>;
    if (typeof record.name === "string" && typeof record.value === "string") {
      addEnvSecrets(record.name, record.value, secrets);
    }
    for (const [childKey, child] of Object.entries(record)) walk(child, childKey, secrets);
  }
}

function addUrlSecrets(text: string, secrets: Set<string>): void {
  if (!URL.canParse(text)) return;
  const url = new URL(text);
  if (url.password) {
    secrets.add(url.password);
    secrets.add(safeDecode(url.password));
  }
  for (const [, value] of url.searchParams) {
    if (URL.canParse(value)) addUrlSecrets(value, secrets);
    else if (value.length >= minimumSignatureLength && !/^\d+$/.test(value)) secrets.add(value);
  }
}

function addEnvSecrets(name: string, value: string, secrets: Set<string>): void {
  if (!isSecretEnvName(name) || value.trim() === "{}") return;
  secrets.add(value);
  if (name.toUpperCase() === "VCAP_SERVICES") addCredentialLeaves(safeParse(value), false, secrets);
}

/** String leaves under any `credentials` key of VCAP_SERVICES: what apps print by accident. */
function addCredentialLeaves(value: unknown, inCredentials: boolean, secrets: Set<string>): void {
  if (typeof value === "string" && inCredentials) secrets.add(value);
  else if (Array.isArray(value))
    value.forEach((v) => addCredentialLeaves(v, inCredentials, secrets));
  else if (typeof value === "object" && value !== null) {
    for (const [key, child] of Object.entries(value)) {
      addCredentialLeaves(child, inCredentials || key === "credentials", secrets);
    }
  }
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
