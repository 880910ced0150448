/**
 * The two ways of pulling staging requests out of a log that the scraper benchmark times:
 * restager's `build-req --log FILE` (the built CLI, peak RSS measured) in four modes, and the
 * cf-furnace pipeline built from `grep taskDefinition | grep '^{'` doing the same work:
 *
 * | mode   | restager                    | pipeline                                              |
 * | ------ | --------------------------- | ----------------------------------------------------- |
 * | latest | `build-req --log F`         | `… \| tail -1 \| jq .data.taskDefinition`               |
 * | app    | `build-req --log F --app A` | `… \| grep -F A \| tail -1 \| jq .data.taskDefinition`  |
 * | all    | `build-req --log F --all`   | `… \| jq -c .data.taskDefinition`                      |
 * | list   | `build-req --log F --list`  | `grep -n … \| jq -rR` (line number, time, guid as TSV) |
 */
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { runMeasured } from "./peak-rss.js";
import { checkSuccess, runProcess } from "./run-process.js";

export const buildReqBin = resolve(
  fileURLToPath(new URL("../../dist/bin/build-req.js", import.meta.url)),
);

export type ScrapeMode = "latest" | "app" | "all" | "list";

export interface Extraction {
  wallMs: number;
  /** Of the restager process (undefined for the pipeline). */
  peakRssBytes?: number | undefined;
  stdout: string;
}

export interface ExtractOptions {
  logPath: string;
  mode: ScrapeMode;
  /** The app of mode "app". */
  app?: string | undefined;
  /** Where GNU time writes its figures. */
  scratchDir: string;
  signal: AbortSignal;
}

const modeFlags: Record<ScrapeMode, string[]> = {
  latest: [],
  app: [],
  all: ["--all"],
  list: ["--list"],
};

export async function buildReq(options: ExtractOptions): Promise<Extraction> {
  const args = [buildReqBin, "--log", options.logPath, ...modeFlags[options.mode]];
  if (options.mode === "app") args.push("--app", appOf(options));
  const measured = await runMeasured(process.execPath, args, {
    signal: options.signal,
    scratchDir: options.scratchDir,
  });
  const result = checkSuccess(`build-req (${options.mode})`, measured.result);
  return { wallMs: result.wallMs, peakRssBytes: measured.peakRssBytes, stdout: result.stdout };
}

const requestLines = `grep taskDefinition "$1" | grep '^{'`;
const listFilter = String.raw`capture("^(?<n>[0-9]+):(?<j>.*)$") | .n as $n | .j | fromjson | [$n, .timestamp, .data.taskDefinition.log_guid] | @tsv`;

const pipelines: Record<ScrapeMode, string> = {
  latest: `${requestLines} | tail -1 | jq .data.taskDefinition`,
  app: `${requestLines} | grep -F -- "$2" | tail -1 | jq .data.taskDefinition`,
  all: `${requestLines} | jq -c .data.taskDefinition`,
  list: `grep -n taskDefinition "$1" | grep '^[0-9]*:{' | jq -rR '${listFilter}'`,
};

/** The shell pipeline; the file and app name travel as positional parameters, never quoted in. */
export async function pipeline(options: ExtractOptions): Promise<Extraction> {
  const script = `set -o pipefail; ${pipelines[options.mode]}`;
  const args = ["-c", script, "pipeline", options.logPath];
  if (options.mode === "app") args.push(appOf(options));
  const result = checkSuccess(
    `the ${options.mode} pipeline`,
    await runProcess("bash", args, { signal: options.signal }),
  );
  return { wallMs: result.wallMs, stdout: result.stdout };
}

function appOf(options: ExtractOptions): string {
  if (options.app === undefined) throw new Error("mode app needs an app name");
  return options.app;
}

/** One JSON document, parsed. */
export function parseOne(who: string, stdout: string): unknown {
  try {
    return JSON.parse(stdout) as unknown;
  } catch {
    throw new Error(`${who} printed no JSON document: ${stdout.slice(0, 200)}`);
  }
}

/** One JSON document per line, parsed. */
export function parseLines(who: string, stdout: string): unknown[] {
  return stdout
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => parseOne(who, line));
}

/** The staging guid of a task (from its completion callback URL), to name what was found. */
export function stagingGuidOf(request: unknown): string | undefined {
  if (typeof request !== "object" || request === null) return undefined;
  const url = (request as Record<string, unknown>).completion_callback_url;
  return typeof url === "string" ? /\/v1\/staging\/([^/]+)\/completed/.exec(url)?.[1] : undefined;
}

/** The line numbers of a list: restager's SOURCE column (`path:N`), the pipeline's first. */
export function listedLines(who: "restager" | "pipeline", stdout: string): number[] {
  return stdout
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => {
      const cells = line.split("\t");
      const cell = who === "restager" ? (cells[5] ?? "").replace(/^.*:/, "") : cells[0];
      return Number(cell);
    });
}
