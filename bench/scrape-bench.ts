/**
 * The scraper benchmark alone (issue 7 item 6): restager's `build-req` against
 * `grep taskDefinition | grep '^{' | tail -1 | jq .data.taskDefinition` on a generated 1 GB
 * stager log. Prints its table; `npm run bench` records it. Needs `npm run build`, grep and jq.
 * See bench/README.md.
 */
import { runEntry } from "./lib/entry.js";
import { checkScrapeTools } from "./lib/prerequisites.js";
import { progress } from "./lib/progress.js";
import { scrapeLogLine, scrapeTable } from "./lib/scrape-report.js";
import { runScrapeSuite } from "./lib/scrape-suite.js";

runEntry("scrape-bench", async (config, signal) => {
  await checkScrapeTools(config);
  const results = await runScrapeSuite(config, signal);
  progress("done");
  console.log(`\n${scrapeTable(results)}\n\n${scrapeLogLine(results)}\n`);
});
