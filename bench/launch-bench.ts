/**
 * The launch benchmark alone (figures, not tests; issue 7 item 5): `restager launch` to the
 * app's first HTTP answer, against the app's own start time in a plain container (see
 * bench/lib/launch-suite.ts). Prints the medians as JSON. Needs `npm run build` and the stack
 * image. Run: `npx vite-node bench/launch-bench.ts [--quick]` (BENCH_LAUNCH_RUNS, default 5).
 */
import { runEntry } from "./lib/entry.js";
import { runLaunchSuite } from "./lib/launch-suite.js";

runEntry("launch-bench", async (config, signal) => {
  console.log(JSON.stringify(await runLaunchSuite(config, signal), null, 2));
});
