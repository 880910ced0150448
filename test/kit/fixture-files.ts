/**
 * The fixture requests (`fixtures/requests/`) and logs (`fixtures/logs/`), found and parsed the
 * one way every test does it.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { DesiredLrp } from "../../src/diego/desired-lrp.js";
import { parseRequest } from "../../src/diego/parse/parse-request.js";
import type { DiegoRequest } from "../../src/diego/request.js";

const fixtures = resolve(fileURLToPath(new URL("../../fixtures", import.meta.url)));

/** The path of `fixtures/requests/<name>`. */
export const requestFixturePath = (name: string): string => join(fixtures, "requests", name);

/** The path of `fixtures/logs/<name>`. */
export const logFixturePath = (name: string): string => join(fixtures, "logs", name);

/** The names of every JSON request fixture. */
export const requestFixtureNames = (): string[] =>
  readdirSync(join(fixtures, "requests")).filter((name) => name.endsWith(".json"));

/** A request fixture as raw JSON, before parsing. */
export function requestFixtureJson(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(requestFixturePath(name), "utf8")) as Record<string, unknown>;
}

/** A request fixture, parsed as the product parses it. */
export function requestFixture(name: string): DiegoRequest {
  return parseRequest(requestFixtureJson(name)).value;
}

/** A desired LRP fixture, parsed; `edit` may change the raw JSON first. */
export function lrpFixture(
  name: string,
  edit?: (json: Record<string, unknown>) => void,
): DesiredLrp {
  const json = requestFixtureJson(name);
  edit?.(json);
  return parseRequest(json, "lrp").value as DesiredLrp;
}
