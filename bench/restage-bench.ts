/**
 * restager's staging benchmark alone (figures, not tests; issue 7 items 1–3): cold restage with
 * image vs. plain tools ending in `docker build`, warm restage, peak RSS of a 500 MB staging.
 * See bench/lib/restage-suite.ts for what runs, bench/README.md for how. Prints the tables and
 * appends them, dated, to bench/results.md (`npm run bench` runs this and the other three).
 */
import { runEntry } from "./lib/entry.js";
import { describeMachine, machineLines } from "./lib/machine.js";
import { checkPrerequisites } from "./lib/prerequisites.js";
import { figuresTable, phasesTable, sizesLine } from "./lib/report.js";
import { runRestageSuite } from "./lib/restage-suite.js";
import { appendSection, resultsFile, sectionHeading } from "./lib/results-file.js";

runEntry("restage-bench", async (config, signal) => {
  await checkPrerequisites(config);
  const startedAt = new Date();
  const machine = await describeMachine();
  const figures = await runRestageSuite(config, signal);
  const tables = [figuresTable(figures, config), "", phasesTable(figures)];
  console.log(`\n${tables.join("\n")}\n`);
  if (!config.record) return;
  const suffix = ` — restage only${config.quick ? " (--quick)" : ""}`;
  const heading = sectionHeading(startedAt, suffix);
  await appendSection([heading, "", ...machineLines(machine), sizesLine(config), "", ...tables]);
  console.log(`Appended to ${resultsFile}`);
});
