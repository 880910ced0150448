import type { CommandModule } from "yargs";
import {
  listCache,
  pruneCandidates,
  removeCacheItem,
  type CacheItem,
} from "../../cache/cache-contents.js";
import { parseAge } from "../../cache/parse-age.js";
import { DockerImageStore } from "../../container/docker-image-store.js";
import { DockerRuntime } from "../../container/docker-runtime.js";
import { formatByteSize } from "../../diego/messages.js";
import { formatDuration } from "../../diego/plan/format-duration.js";
import { defaultCacheDir } from "../../http/default-cache-dir.js";
import type { Output } from "../output.js";
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
    handler: async (args) => {
      const olderThanMs = args.olderThan === undefined ? undefined : parseAge(args.olderThan);
      const runtime = new DockerRuntime({ env: output.env });
      const deps = {
        volumes: runtime.volumes,
        images: new DockerImageStore({ env: output.env }),
        cacheDir: args.cacheDir ?? defaultCacheDir(output.env),
      };
      const items = await listCache(deps);
      const now = new Date();
      if (args.action === "ls") return printItems(output, items, now, args.json === true);
      const chosen = pruneCandidates(items, { olderThanMs, now });
      const removed: CacheItem[] = [];
      if (args.force === true) {
        for (const item of chosen) if (await removeCacheItem(item, deps)) removed.push(item);
      }
      printPrune(output, { chosen, removed, force: args.force === true, json: args.json === true });
    },
  };
}

function printItems(output: Output, items: CacheItem[], now: Date, json: boolean): void {
  if (json) {
    output.result(
      JSON.stringify(
        items.map((item) => itemJson(item)),
        null,
        2,
      ),
    );
    return;
  }
  if (output.stdoutIsTty) output.result("KIND\tNAME\tSIZE\tAGE\tIN USE\tSOURCE");
  for (const item of items) {
    const size = item.sizeBytes === undefined ? "-" : formatByteSize(item.sizeBytes);
    const age = item.since === undefined ? "-" : formatDuration(ageMs(item.since, now));
    const row = [item.kind, item.name, size, age, item.inUse ? "yes" : "no", item.source];
    output.result(row.join("\t"));
  }
  if (items.length === 0) output.info("restager keeps nothing on this engine and disk");
}

function printPrune(
  output: Output,
  outcome: { chosen: CacheItem[]; removed: CacheItem[]; force: boolean; json: boolean },
): void {
  const { chosen, removed, force } = outcome;
  if (outcome.json) {
    const report = {
      dry_run: !force,
      candidates: chosen.map(itemJson),
      removed: removed.map(itemJson),
    };
    output.result(JSON.stringify(report, null, 2));
    return;
  }
  const listed = force ? removed : chosen;
  for (const item of listed)
    output.result(`${force ? "removed" : "would remove"}\t${item.kind}\t${item.name}`);
  const bytes = listed.reduce((sum, item) => sum + (item.sizeBytes ?? 0), 0);
  if (!force) {
    output.info(
      `${chosen.length} item(s) would be removed (${formatByteSize(bytes)} known); add --force to remove them`,
    );
  } else {
    const kept = chosen.length - removed.length;
    output.info(
      `Removed ${removed.length} item(s) (${formatByteSize(bytes)} known)${kept > 0 ? `; ${kept} came into use and were kept` : ""}`,
    );
  }
}

function itemJson(item: CacheItem): Record<string, unknown> {
  return {
    kind: item.kind,
    name: item.name,
    source: item.source,
    size: item.sizeBytes ?? null,
    since: item.since?.toISOString() ?? null,
    in_use: item.inUse,
  };
}

function ageMs(since: Date, now: Date): number {
  return Math.max(0, Math.round((now.getTime() - since.getTime()) / 1000) * 1000);
}
