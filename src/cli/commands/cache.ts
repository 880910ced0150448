import type { CommandModule } from "yargs";
import type { Output } from "../output.js";
import { runCache } from "../wiring/cache.js";
import { commandSummaries } from "./summaries.js";

interface CacheArgs {
  action: "ls" | "prune";
  cacheDir?: string | undefined;
  olderThan?: string | undefined;
  force?: boolean | undefined;
  json?: boolean | undefined;
}

/** `restager cache ls|prune`: what restager keeps between runs, and removing it. */
export function cacheCommand(output: Output): CommandModule<object, CacheArgs> {
  return {
    ...commandSummaries.cache,
    builder: (yargs) =>
      yargs
        .positional("action", { choices: ["ls", "prune"] as const, demandOption: true })
        .option("cache-dir", {
          type: "string",
          requiresArg: true,
          describe: "Download cache (default $XDG_CACHE_HOME/restager or ~/.cache/restager)",
        })
        .option("older-than", {
          type: "string",
          requiresArg: true,
          describe: "prune: only what was made longer ago than this (90s, 30m, 12h, 7d, 2w)",
        })
        .option("force", {
          type: "boolean",
          describe: "prune: remove (without it, only print what would be removed)",
        })
        .example("$0 cache ls", "dependency volumes, lifecycle base images, downloads")
        .example("$0 cache prune --older-than 7d", "what would be removed")
        .example("$0 cache prune --older-than 7d --force", "remove it"),
    handler: (args) =>
      runCache(output, {
        action: args.action,
        cacheDir: args.cacheDir,
        olderThan: args.olderThan,
        force: args.force === true,
        json: args.json === true,
      }),
  };
}
