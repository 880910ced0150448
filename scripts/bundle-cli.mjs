// The commands as esbuild bundles over tsc's output (`npm run build` runs tsc, then this).
//
// Why: Node loads every ES module on its own (resolve, read, compile, link); the ~200 modules a
// command needs cost about 0.2 s of CPU at every start. Bundled, a command loads a handful of
// files. Dependencies stay external (node_modules, as before: src/container/dockerode-module.ts
// relies on Node's module cache), and tsc's per-module output stays for the library entry
// (dist/index.js) and its types. The entries keep their places (dist/bin/*.js); code shared
// between them and lazily imported code go to dist/chunks/. Nothing in src/ may locate files relative to its own module for that reason:
// src/cli/package-files.ts finds them from the package root.
import { readdir, rm } from "node:fs/promises";
import { build } from "esbuild";

// Chunks of earlier builds would stay beside the new ones (and go into the package).
await rm("dist/chunks", { recursive: true, force: true });
const bins = (await readdir("src/bin")).filter((name) => name.endsWith(".ts"));
await build({
  entryPoints: bins.map((name) => `src/bin/${name}`),
  outdir: "dist",
  outbase: "src",
  entryNames: "[dir]/[name]",
  chunkNames: "chunks/[name]-[hash]",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "external",
  sourcemap: true,
  logLevel: "warning",
});
