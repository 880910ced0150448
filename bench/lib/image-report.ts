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
  return (
    `Stack ${figures.stackImage}: ${formatByteSize(figures.stackBytes)}; each droplet also ` +
    `holds 2,000 small files; times are wall clock on this machine.`
  );
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}
