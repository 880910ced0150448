/**
 * Runs the built CLI (`dist/bin/restage.js --json`) on a task file, measuring its wall time and
 * peak RSS. The image restager can build after staging (`--image`, when this build has it) is
 * left out unless asked for: the baseline builds none.
 */
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { runMeasured, type RssMethod } from "./peak-rss.js";
import { checkSuccess, runProcess } from "./run-process.js";

export const restageBin = resolve(
  fileURLToPath(new URL("../../dist/bin/restage.js", import.meta.url)),
);

/** The parts of `restage --json` the benchmark reads. */
export interface RestageJson {
  failed: boolean;
  failure_reason: string;
  durations: Record<string, number>;
  droplet: { size: number; md5: string } | null;
  image?: { id: string; tags: string[]; size: number; build_ms: number } | null;
}

export interface RestagerRun {
  wallMs: number;
  peakRssBytes: number | undefined;
  rssMethod: RssMethod;
  report: RestageJson;
}

export interface RestagerInvocation {
  taskFile: string;
  cacheDir: string;
  /** Working directory (restager-out/ would land here). */
  cwd: string;
  /** restager's TMPDIR (its spools), so that leftovers can be seen and are removed with it. */
  tmpDir: string;
  image: string;
  /** Let restager build its image after staging (only when the CLI has --image). */
  buildImage?: boolean;
  signal: AbortSignal;
  verbose: boolean;
}

export async function runRestager(run: RestagerInvocation): Promise<RestagerRun> {
  const cli = [restageBin, run.taskFile, "--json", "--cache-dir", run.cacheDir];
  cli.push("--stack", `cflinuxfs4=${run.image}`, ...(run.verbose ? ["--verbose"] : []));
  if (run.buildImage !== true && (await hasImageFlag())) cli.push("--no-image");
  const env = { ...process.env, TMPDIR: run.tmpDir };
  const options = { cwd: run.cwd, env, signal: run.signal, echoStderr: run.verbose };
  const measured = await runMeasured(process.execPath, cli, { ...options, scratchDir: run.cwd });
  checkSuccess("restage", measured.result);
  const report = JSON.parse(measured.result.stdout) as RestageJson;
  if (report.failed) throw new Error(`restage reported a failure: ${report.failure_reason}`);
  const { peakRssBytes, rssMethod } = measured;
  return { wallMs: measured.result.wallMs, peakRssBytes, rssMethod, report };
}

let imageFlag: Promise<boolean> | undefined;

/** Whether this build of `restage` builds an image after staging (and so has --no-image). */
export function hasImageFlag(): Promise<boolean> {
  imageFlag ??= runProcess(process.execPath, [restageBin, "--help"]).then((help) =>
    /^\s+--image\b/m.test(help.stdout),
  );
  return imageFlag;
}
