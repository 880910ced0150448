/** Markdown tables in the layout prettier gives them, and the number formats the tables use. */

export function markdownTable(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) =>
    Math.max(3, ...rows.map((row) => (row[column] ?? "").length)),
  );
  const line = (row: string[]): string =>
    `| ${row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(" | ")} |`;
  const rule = `| ${widths.map((width) => "-".repeat(width)).join(" | ")} |`;
  return [line(rows[0]!), rule, ...rows.slice(1).map(line)].join("\n");
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** `7.9 s`, or `7.9 s (7.5–8.3)` with the range when there are several rounds. */
export function timing(values: readonly number[]): string {
  if (values.length < 2) return seconds(values[0] ?? Number.NaN);
  const range = `${seconds(Math.min(...values)).slice(0, -2)}–${seconds(Math.max(...values))}`;
  return `${seconds(median(values))} (${range})`;
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

export function shortSeconds(ms: number): string {
  return ms < 100 ? `${Math.round(ms)} ms` : seconds(ms);
}
