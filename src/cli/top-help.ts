/**
 * The top-level `restager --help`, written without loading yargs (its modules are most of a
 * cold start's cost). The text is yargs' own layout for this one screen (cliui's columns: the
 * command and switch columns as wide as their longest entry plus padding, descriptions wrapped
 * between words in the rest, the type right-aligned on the description's last line); a unit
 * test compares it with yargs' output at several widths. Narrow terminals, where yargs would
 * also wrap the first column, are left to yargs (`fastTopHelp` returns undefined).
 */
import { commandSummaries } from "./commands/summaries.js";

/** The usage line and tagline (`$0` is the script name). */
export const usageText =
  "$0 <command> [options]\n\nReplays Cloud Foundry Diego requests on plain Docker.";

/** The options every command takes, as main.ts declares them to yargs. */
export const globalOptions = {
  verbose: { type: "boolean", alias: "v", describe: "Show diagnostics and error causes" },
  json: { type: "boolean", describe: "Print machine-readable JSON on stdout" },
} as const;

/** The width main.ts gives yargs: the terminal's, at most 110; 100 when not a terminal. */
export function helpWidth(columns: number | undefined): number {
  return Math.min(110, columns || 100);
}

const scriptName = "restager";
/** Below this, a command's name would be wrapped in its column (yargs caps it at half). */
const minimumWidth = 60;

/** The top-level help text (with its final newline), or undefined to let yargs write it. */
export function fastTopHelp(width: number): string | undefined {
  if (width < minimumWidth) return undefined;
  const commands = Object.values(commandSummaries).map((summary): [string, string] => [
    `${scriptName} ${summary.command}`,
    summary.describe,
  ]);
  const switches: [string, string][] = [
    ["-v, --verbose", globalOptions.verbose.describe],
    ["    --json", globalOptions.json.describe],
    ["    --version", "Show version number"],
    ["-h, --help", "Show help"],
  ];
  const lines = [
    ...usageText.replaceAll("$0", scriptName).split("\n"),
    "",
    "Commands:",
    ...table(commands, width),
    "",
    "Options:",
    ...table(switches, width, "[boolean]"),
  ];
  return `${lines.join("\n")}\n`;
}

/** Two columns, the first padded 2 each side; `extra` right-aligned after each description. */
function table(rows: [string, string][], width: number, extra?: string): string[] {
  const first = Math.max(...rows.map(([left]) => left.length)) + 4;
  const lines: string[] = [];
  for (const [left, description] of rows) {
    const wrapped = wrapWords(description, width - first);
    const rowLines = wrapped.map((text, index) =>
      `${index === 0 ? `  ${left}`.padEnd(first) : " ".repeat(first)}${text}`.trimEnd(),
    );
    if (extra !== undefined) {
      const last = rowLines.length - 1;
      const room = width - extra.length - (rowLines[last] ?? "").length;
      if (room >= 0) rowLines[last] = `${rowLines[last] ?? ""}${" ".repeat(room)}${extra}`;
      else rowLines.push(`${" ".repeat(width - extra.length)}${extra}`);
    }
    lines.push(...rowLines);
  }
  return lines;
}

/** Greedy word wrap at `columns` (words longer than a line are not split: none are here). */
function wrapWords(text: string, columns: number): string[] {
  const rows: string[] = [];
  let row = "";
  for (const word of text.split(" ")) {
    if (row !== "" && row.length + 1 + word.length > columns) {
      rows.push(row);
      row = word;
    } else row = row === "" ? word : `${row} ${word}`;
  }
  rows.push(row);
  return rows;
}
