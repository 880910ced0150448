/** Assertions the e2e tests share: what a user must (and must never) see. */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { expect } from "vitest";
import type { CliResult } from "./cli.js";

/** A signed URL's query (`?md5=…&expires=…`, `signature=`, S3's `X-Amz-Signature=`). */
const SIGNED_QUERY = /[?&](md5|expires|signature|x-amz-signature|x-amz-credential)=/i;

/** Fails, quoting the offending line, when stdout or stderr shows a signed query or a secret. */
export function expectNoSecrets(run: CliResult, secrets: readonly string[] = []): void {
  for (const [name, text] of [
    ["stdout", run.stdout],
    ["stderr", run.stderr],
  ] as const) {
    const line = text.split("\n").find((l) => SIGNED_QUERY.test(l));
    expect(line, `${name} shows a signed query`).toBeUndefined();
    for (const secret of secrets) {
      const leak = text.split("\n").find((l) => l.includes(secret));
      expect(leak, `${name} shows the secret ${secret}`).toBeUndefined();
    }
  }
}

/** No stack trace: no `    at fn (file:line)` lines. */
export function expectNoStackTrace(run: CliResult): void {
  expect(run.stderr).not.toMatch(/^\s+at .+[:(]/m);
}

/**
 * Fails with both streams in the message, so a wrong exit code is easy to diagnose. Also fails
 * on a warning Node printed (`(node:PID) MaxListenersExceededWarning: ...`): users see those.
 */
export function expectExit(run: CliResult, code: number): void {
  expect(
    run.exitCode,
    `exit ${String(run.exitCode)} (signal ${String(run.signal)})\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`,
  ).toBe(code);
  expect(run.stderr, "a warning printed by Node").not.toMatch(/^\(node:\d+\) \w*Warning: /m);
}

export async function md5OfFile(path: string): Promise<string> {
  return createHash("md5")
    .update(await readFile(path))
    .digest("hex");
}

export function base64OfHex(hex: string): string {
  return Buffer.from(hex, "hex").toString("base64");
}

/**
 * Every password found in the userinfo of a URL anywhere in `value` (nested, encoded or not),
 * plus, with `signatures`, the values of signed queries' `md5` and `signature` parameters.
 * (The scraper fixtures' signatures happen to be prefixes of hex directory names shown in
 * plans, so those tests check the `name=value` form only, through expectNoSecrets.)
 */
export function urlSecrets(value: unknown, options: { signatures?: boolean } = {}): string[] {
  const found = new Set<string>();
  const visit = (text: string, depth: number): void => {
    for (const match of text.matchAll(/https?:\/\/[^\s"'<>\\]+/g)) {
      if (!URL.canParse(match[0])) continue;
      const url = new URL(match[0]);
      if (url.password !== "") found.add(decodeURIComponent(url.password));
      for (const [name, v] of url.searchParams) {
        if (options.signatures && (name === "md5" || name === "signature")) found.add(v);
        if (depth < 3) visit(v, depth + 1);
      }
    }
  };
  visit(JSON.stringify(value).replaceAll("\\u0026", "&"), 0);
  return [...found];
}
