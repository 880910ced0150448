/** bench/results.md: dated sections appended by the benchmark scripts, newest last. */
import { appendFile, readFile, writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const resultsFile = resolve(fileURLToPath(new URL("../results.md", import.meta.url)));

const intro =
  "Appended by `npm run bench` (bench/run-all.ts: the summary of all six items, then each " +
  "benchmark's detail) and by `npm run bench:restage` (bench/restage-bench.ts: items 1–3 only), " +
  "newest last.\n";

/** Appends `lines` (a section starting with its `## ` heading) to `path`, creating it with a title. */
export async function appendSection(lines: readonly string[], path = resultsFile): Promise<void> {
  const existing = await readFile(path, "utf8").catch(() => undefined);
  if (existing === undefined) await writeFile(path, `# restager benchmark results\n\n${intro}`);
  // One blank line before the section, one newline after it: sections stay prettier-clean.
  await appendFile(path, `\n${lines.join("\n").trimEnd()}\n`);
}

/** `## 2026-11-22T10:40:43Z` plus a suffix, from when the run started. */
export function sectionHeading(startedAt: Date, suffix = ""): string {
  return `## ${startedAt.toISOString().replace(/\.\d+Z$/, "Z")}${suffix}`;
}
