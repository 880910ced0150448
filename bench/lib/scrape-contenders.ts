/**
 * The two ways of pulling a staging request out of a log that the scraper benchmark times:
 * restager's `build-req --log FILE [--app NAME]` (the built CLI, peak RSS measured), and the
 * cf-furnace pipeline `grep taskDefinition | grep '^{' | tail -1 | jq .data.taskDefinition`
 * (with `grep -F NAME` before `tail` for one app).
 */
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { runMeasured } from "./peak-rss.js";
import { checkSuccess, runProcess } from "./run-process.js";

export const buildReqBin = resolve(
  fileURLToPath(new URL("../../dist/bin/build-req.js", import.meta.url)),
);

export interface Extraction {
  wallMs: number;
  /** Of the restager process (undefined for the pipeline). */
  peakRssBytes?: number | undefined;
  /** The request found, parsed. */
  request: unknown;
}

export interface ExtractOptions {
  logPath: string;
  /** Only this app's requests; the latest of all when absent. */
  app?: string | undefined;
  /** Where GNU time writes its figures. */
  scratchDir: string;
  signal: AbortSignal;
}

export async function buildReq(options: ExtractOptions): Promise<Extraction> {
  const args = [buildReqBin, "--log", options.logPath];
  if (options.app !== undefined) args.push("--app", options.app);
  const measured = await runMeasured(process.execPath, args, {
    signal: options.signal,
    scratchDir: options.scratchDir,
  });
  const result = checkSuccess("build-req", measured.result);
  return {
    wallMs: result.wallMs,
    peakRssBytes: measured.peakRssBytes,
    request: parse("build-req", result.stdout),
  };
}

/** The shell pipeline; the file and app name travel as positional parameters, never quoted in. */
export async function pipeline(options: ExtractOptions): Promise<Extraction> {
  const byApp = options.app === undefined ? "" : ' | grep -F -- "$2"';
  const script = `set -o pipefail; grep taskDefinition "$1" | grep '^{'${byApp} | tail -1 | jq .data.taskDefinition`;
  const args = ["-c", script, "pipeline", options.logPath, ...(options.app ? [options.app] : [])];
  const result = checkSuccess(
    "the grep | tail | jq pipeline",
    await runProcess("bash", args, { signal: options.signal }),
  );
  return { wallMs: result.wallMs, request: parse("the pipeline", result.stdout) };
}

function parse(who: string, stdout: string): unknown {
  try {
    return JSON.parse(stdout) as unknown;
  } catch {
    throw new Error(`${who} printed no JSON document: ${stdout.slice(0, 200)}`);
  }
}

/** The staging guid of a task (from its completion callback URL), to name what was found. */
export function stagingGuidOf(request: unknown): string | undefined {
  if (typeof request !== "object" || request === null) return undefined;
  const url = (request as Record<string, unknown>).completion_callback_url;
  return typeof url === "string" ? /\/v1\/staging\/([^/]+)\/completed/.exec(url)?.[1] : undefined;
}
