/** The image benchmark's table (one row per droplet size). */
import { formatByteSize } from "../../src/diego/messages.js";
import { sharedLayers, type ImageFigures } from "./image-suite.js";
import { markdownTable } from "./markdown-table.js";

export function imageTable(figures: ImageFigures): string {
  const rows = [
    [
      "droplet (tgz)",
      "droplet layer",
      "image",
      "build",
      "rebuild, new droplet",
      "docker import of its layer (floor)",
      "layers shared",
      "same droplet again",
      "same id",
      "stack streamed",
    ],
  ];
  for (const row of figures.rows) {
    const { first, second, again } = row;
    rows.push([
      formatByteSize(first.built.dropletFileBytes),
      formatByteSize(first.built.dropletLayerBytes),
      formatByteSize(first.built.sizeBytes),
      seconds(first.ms),
      seconds(second.ms),
      `${seconds(row.importMs)} (${(second.ms / row.importMs).toFixed(2)}x)`,
      `${sharedLayers(row)} of ${second.built.diffIds.length}`,
      seconds(again.ms),
      again.built.id === first.built.id ? "yes" : "NO",
      row.streamedMs === undefined ? "—" : seconds(row.streamedMs),
    ]);
  }
  return markdownTable(rows);
}

export function imageNote(figures: ImageFigures): string {
  const note =
    `Stack ${figures.stackImage}: ${formatByteSize(figures.stackBytes)}; each droplet also ` +
    `holds 2,000 small files; times are wall clock on this machine.`;
  const t = figures.throughput;
  if (t === undefined) return note;
  const rss = t.peakRssBytes === undefined ? "n/a" : formatByteSize(t.peakRssBytes);
  const left = t.leftovers.length === 0 ? "none" : t.leftovers.join(", ");
  return (
    `${note}\n\nBig droplet (BENCH_BIG_MB=${t.dropletMb}, ${formatByteSize(t.dropletFileBytes)} ` +
    `.tgz): \`restager image\` (cold process, new droplet) ${seconds(t.imageMs)}, peak RSS ` +
    `${rss} (${t.rssMethod}); \`docker import\` of its layer ${seconds(t.importMs)} ` +
    `(${(t.imageMs / t.importMs).toFixed(2)}x); \`tar -czf\` of its contents ` +
    `${seconds(t.tarMs)}; files left in restager's TMPDIR: ${left}.`
  );
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}
