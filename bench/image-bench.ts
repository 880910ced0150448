/**
 * The launcher image benchmark alone (figures, not tests; issue 7 item 4): build time and image
 * size against droplet size, and what a rebuild on the same stack and lifecycle adds (see
 * bench/lib/image-suite.ts). Run: `npm run bench:image [-- --quick]`. Needs the engine and the
 * stack image (`npm run setup`). Every image it makes is removed at the end.
 */
import { runEntry } from "./lib/entry.js";
import { imageNote, imageTable } from "./lib/image-report.js";
import { runImageSuite } from "./lib/image-suite.js";

runEntry("image-bench", async (config, signal) => {
  const figures = await runImageSuite(config, signal);
  console.log(`\n${imageTable(figures)}\n\n${imageNote(figures)}\n`);
});
