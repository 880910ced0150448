import type { CacheReport } from "../app/cache.js";
import type { CacheItem } from "../cache/cache-contents.js";
import { formatByteSize } from "../diego/messages.js";
import { formatDuration } from "../diego/explain/format-duration.js";
import type { Output } from "./output.js";

/** `cache ls`: a row per item (tab-separated, or --json); `cache prune`: what was (or would be) removed. */
export function printCacheReport(output: Output, report: CacheReport, json: boolean): void {
  if (report.kind === "ls") printItems(output, { ...report, json });
  else printPrune(output, { ...report, json });
}

function printItems(
  output: Output,
  { items, now, json }: { items: CacheItem[]; now: Date; json: boolean },
): void {
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
