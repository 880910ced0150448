/**
 * Secret redaction for display only. Parsed requests keep every secret (a replay needs the signed
 * URLs and credentials); anything printed — plans, --json views, error messages, labels — goes
 * through these helpers first. All functions are pure and never throw.
 */

/** What replaces a whole secret value. */
export const redacted = "<redacted>";
/** What replaces the userinfo of a URL (`user:pass@`). */
export const redactedUserinfo = "***@";
/** What replaces a URL's query string (signed-URL signatures, embedded credentials). */
export const redactedQuery = "?…";

const schemePattern = /^[a-z][a-z0-9+.-]*:\/\//i;
/** Userinfo of a well-formed URL: everything between `//` and the last `@` of the authority. */
const authorityUserinfo = /^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i;
/** URL-looking tokens inside free text (env values, annotations, JSON-in-strings). */
const urlInText = /[a-z][a-z0-9+.-]*:\/\/[^\s"'<>\\]+/gi;
const pemBlock =
  /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g;
const secretName = /pass|secret|token|key|credential/i;
/** Env vars whose whole value is credentials by definition. */
const secretEnvNames = new Set(["VCAP_SERVICES", "CREDHUB_CREDENTIALS"]);

/**
 * Keeps scheme, host, port, path and fragment; replaces userinfo with `***@` and the query with
 * `?…` (a string or a parsed URL). A string that is not a hierarchical URL (`scheme://authority/…`) is still handled:
 * everything before its last `@` (after the scheme) and everything after its first `?` is hidden.
 */
export function redactUrl(input: string | URL): string {
  const url = typeof input === "string" ? input : input.href;
  if (schemePattern.test(url) && URL.canParse(url)) return redactWellFormedUrl(url);
  let rest = url;
  const scheme = schemePattern.exec(rest)?.[0] ?? "";
  rest = rest.slice(scheme.length);
  const at = rest.lastIndexOf("@");
  if (at >= 0) rest = redactedUserinfo + rest.slice(at + 1);
  const query = rest.indexOf("?");
  if (query >= 0) rest = rest.slice(0, query) + redactedQuery;
  return scheme + rest;
}

function redactWellFormedUrl(url: string): string {
  const hashAt = url.indexOf("#");
  const fragment = hashAt >= 0 ? url.slice(hashAt) : "";
  let rest = hashAt >= 0 ? url.slice(0, hashAt) : url;
  const queryAt = rest.indexOf("?");
  if (queryAt >= 0) rest = rest.slice(0, queryAt) + redactedQuery;
  rest = rest.replace(authorityUserinfo, (_match, scheme: string) => scheme + redactedUserinfo);
  return rest + fragment;
}

/** Every URL-looking token in free text (`scheme://…` up to whitespace, a quote or `<`/`>`). */
export function findUrls(text: string): string[] {
  return text.match(urlInText) ?? [];
}

/** Every PEM private key block in free text. */
export function findPrivateKeys(text: string): string[] {
  return text.match(pemBlock) ?? [];
}

/** Redacts every URL found in free text, and every PEM private key block. */
export function redactUrlsInText(text: string): string {
  return text.replace(urlInText, (url) => redactUrl(url)).replace(pemBlock, redacted);
}

/**
 * The value of an environment variable as it may be displayed: VCAP_SERVICES and names that look
 * like credentials (pass, secret, token, key, credential) are replaced entirely (an empty value or
 * an empty `{}` is kept, since it shows that nothing is bound); other values have the userinfo
 * and query of any URL inside them hidden.
 */
export function redactEnvValue(name: string, value: string): string {
  if (isSecretEnvName(name)) return value === "" || value.trim() === "{}" ? value : redacted;
  return redactUrlsInText(value);
}

/** True for env var names whose values are credentials (see redactEnvValue). */
export function isSecretEnvName(name: string): boolean {
  return secretEnvNames.has(name.toUpperCase()) || secretName.test(name);
}

const secretFlag = /^(-{1,2}[\w-]*(?:pass|secret|token|key|credential)[\w-]*)(=?)(.*)$/is;

/**
 * Command-line arguments as they may be displayed: values of flags named like credentials
 * (`-hostKey=<PEM>`, `-dockerPassword=p` or `-dockerPassword p`), PEM private keys and URL
 * credentials are hidden. Flag names stay visible.
 */
export function redactArgs(args: readonly string[]): string[] {
  return scanArgs(args).display;
}

/** The flag values `redactArgs` hides, for masking them in other text. */
export function secretArgValues(args: readonly string[]): string[] {
  return scanArgs(args).secrets;
}

function scanArgs(args: readonly string[]): { display: string[]; secrets: string[] } {
  const display: string[] = [];
  const secrets: string[] = [];
  let valueIsSecret = false;
  for (const arg of args) {
    const flag = secretFlag.exec(arg);
    if (valueIsSecret) {
      display.push(redacted);
      secrets.push(arg);
      valueIsSecret = false;
    } else if (flag?.[2] === "=" && flag[3]) {
      display.push(`${flag[1]}=${redacted}`);
      secrets.push(flag[3]);
    } else if (flag && flag[2] === "" && flag[3] === "") {
      display.push(arg);
      valueIsSecret = true;
    } else display.push(redactUrlsInText(arg));
  }
  return { display, secrets };
}

/** Secrets shorter than this are not masked: replacing every "ab" would destroy the text. */
const minimumSecretLength = 4;

/**
 * Replaces every occurrence of each secret in `text` with `<redacted>`, including the forms a
 * secret takes inside JSON strings and inside URL-encoded query parameters. Longer secrets are
 * masked first so that a secret containing another one disappears whole.
 */
export function maskSecretsInText(text: string, secrets: readonly string[]): string {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (secret.length < minimumSecretLength) continue;
    forms.add(secret);
    forms.add(JSON.stringify(secret).slice(1, -1));
    forms.add(encodeURIComponent(secret));
  }
  const ordered = [...forms].sort((a, b) => b.length - a.length);
  let masked = text;
  for (const form of ordered) masked = masked.split(form).join(redacted);
  return masked;
}
