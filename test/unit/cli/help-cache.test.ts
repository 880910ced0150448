import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { skipHelpCache } from "../../../src/cli/main.js";

const yargs = createRequire(import.meta.url)("yargs") as typeof import("yargs").default;

interface Usage {
  hasCachedHelpMessage(): boolean;
}

/** Runs `run` through a parser with one command; whether yargs then holds a rendered help. */
async function helpCachedAfterRun(skip: boolean): Promise<boolean> {
  let ran = false;
  const parser = yargs(["run"])
    .exitProcess(false)
    .command({ command: "run", describe: "runs", handler: () => void (ran = true) });
  if (skip) skipHelpCache(parser);
  await parser.parseAsync();
  expect(ran).toBe(true);
  const internals = parser as unknown as { getInternalMethods(): { getUsageInstance(): Usage } };
  return internals.getInternalMethods().getUsageInstance().hasCachedHelpMessage();
}

describe("skipHelpCache", () => {
  it("keeps yargs from rendering the command's help after its handler starts", async () => {
    // The yargs release in use renders it (else there is nothing to skip any more)...
    expect(await helpCachedAfterRun(false)).toBe(true);
    // ...and no longer does once skipped.
    expect(await helpCachedAfterRun(true)).toBe(false);
  });
});
