/**
 * `npm run bench`: the benchmarks of issues 7 and 14 in sequence — restage (items 1–3), image
 * build (4), launch (5), scraper (6), start-up — then ONE summary table (item, restager, baseline measured
 * in the same run, ratio, goal, met/missed) and each benchmark's details, printed and appended
 * as a dated section, with the machine's description, to bench/results.md.
 *
 * A benchmark that fails is reported as such and the others still run (exit code 1). Each one
 * removes what it made (temporary files, containers, images, volumes, the fake CF), also on
 * failure or Ctrl-C. `--quick` runs small sizes (~2 minutes); see bench/README.md.
 */
import { runEntry } from "./lib/entry.js";
import { allSection, allTables, type AllRun } from "./lib/all-report.js";
import type { BenchConfig } from "./lib/bench-config.js";
import { removeDockerObjects } from "./lib/docker-cleanup.js";
import { runImageSuite } from "./lib/image-suite.js";
import { runLaunchSuite } from "./lib/launch-suite.js";
import { describeMachine } from "./lib/machine.js";
import { checkPrerequisites, checkScrapeTools, checkStackImage } from "./lib/prerequisites.js";
import { progress } from "./lib/progress.js";
import { runRestageSuite } from "./lib/restage-suite.js";
import { appendSection, resultsFile } from "./lib/results-file.js";
import { runScrapeSuite } from "./lib/scrape-suite.js";
import { runStartupSuite } from "./lib/startup-suite.js";
import type { AllOutcomes, Outcome } from "./lib/summary.js";
import { loadavg } from "node:os";

type Suite<T> = (config: BenchConfig, signal: AbortSignal) => Promise<T>;

runEntry("bench", async (config, signal) => {
  const startedAt = new Date();
  const machine = await describeMachine();
  const loads = { restage: 0, image: 0, launch: 0, scrape: 0, startup: 0 };
  const attempt = async <T>(name: keyof AllOutcomes, suite: Suite<T>): Promise<Outcome<T>> => {
    signal.throwIfAborted();
    loads[name] = loadavg()[0] ?? 0;
    progress(`=== ${name} (load average ${loads[name].toFixed(2)})`);
    const started = performance.now();
    try {
      const figures = await suite(config, signal);
      progress(`=== ${name} done in ${((performance.now() - started) / 1000).toFixed(0)} s`);
      return { ok: true, figures };
    } catch (error) {
      if (signal.aborted) throw error;
      const message = error instanceof Error ? error.message : String(error);
      progress(`=== ${name} FAILED: ${message}`);
      return { ok: false, error: message };
    }
  };
  const outcomes: AllOutcomes = {
    restage: await attempt("restage", async (c, s) => {
      await checkPrerequisites(c);
      return runRestageSuite(c, s);
    }),
    image: await attempt("image", async (c, s) => {
      await checkStackImage(c.image);
      return runImageSuite(c, s);
    }),
    launch: await attempt("launch", runLaunchSuite),
    scrape: await attempt("scrape", async (c, s) => {
      await checkScrapeTools(c);
      return runScrapeSuite(c, s);
    }),
    startup: await attempt("startup", runStartupSuite),
  };
  // A safety net: the launch benchmark's containers and image carry this label.
  await removeDockerObjects([`io.restager.bench=launch-${process.pid}`]);
  const run: AllRun = {
    config,
    machine,
    startedAt,
    totalMs: Date.now() - startedAt.getTime(),
    loads,
    outcomes,
  };
  console.log(`\n${allTables(run).join("\n")}`);
  if (config.record) {
    await appendSection(allSection(run));
    console.log(`Appended to ${resultsFile}`);
  }
  if (Object.values(outcomes).some((outcome: Outcome<unknown>) => !outcome.ok)) {
    process.exitCode = 1;
  }
});
