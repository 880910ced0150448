#!/usr/bin/env node
// Bundled as CommonJS (scripts/bundle-cli.mjs), which has no top-level await.
import { runRequestBin } from "../cli/request-bin.js";

void runRequestBin(["launch-req", ...process.argv.slice(2)]).then((code) => {
  process.exitCode = code;
});
