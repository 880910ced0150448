// The commands as esbuild bundles over tsc's output (`npm run build` runs tsc, then this).
//
// Why: Node loads every ES module on its own (resolve, read, compile, link); the ~200 modules a
// command needs cost about 0.2 s of CPU at every start. Bundled, a command loads a handful of
// files. Dependencies stay external (node_modules, as before: src/container/dockerode-module.ts
// relies on Node's module cache), and tsc's per-module output stays for the library entry
// (dist/index.js) and its types. The entries keep their places (dist/bin/*.js); code shared
// between them and lazily imported code go to dist/chunks/. Nothing in src/ may locate files relative to its own module for that reason:
// src/cli/package-files.ts finds them from the package root.
//
// build_req and launch_req are one file each (src/cli/request-bin.ts): their usual spellings
// then load no chunk at all, a few milliseconds of every scrape (issue 14 goal 4). What they
// leave to the parser goes to src/cli/entry.ts, bundled with the others as dist/chunks/entry.js.
//
// dist/bin/ is CommonJS (its own package.json says so): Node starts a CommonJS main module
// without setting up its ES module loader, about 20 ms of CPU of every start on the bench's
// machine, a tenth of a scrape (issue 14 goal 4). build_req and launch_req are CommonJS bundles
// (their fallback still imports the ES chunk entry.js); the other bins are ES modules in
// dist/chunks/bin/, started by a one-line CommonJS file at their usual place.
import { readdir, rm, writeFile } from "node:fs/promises";
import { build } from "esbuild";

const common = {
  outdir: "dist",
  outbase: "src",
  entryNames: "[dir]/[name]",
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "external",
  sourcemap: true,
  logLevel: "warning",
};

/** Bins built as one file each; the rest share chunks. */
const standalone = ["build-req.ts", "launch-req.ts"];

// Chunks of earlier builds would stay beside the new ones (and go into the package).
await rm("dist/chunks", { recursive: true, force: true });
const bins = (await readdir("src/bin")).filter((name) => name.endsWith(".ts"));
await build({
  ...common,
  entryPoints: [
    ...bins
      .filter((name) => !standalone.includes(name))
      .map((name) => ({ in: `src/bin/${name}`, out: `chunks/bin/${stem(name)}` })),
    { in: "src/cli/entry.ts", out: "chunks/entry" },
  ],
  chunkNames: "chunks/[name]-[hash]",
  splitting: true,
});

/** request-bin.ts's `import("./entry.js")`: the bundled entry.ts above, not a copy of it. */
const bundledEntry = {
  name: "bundled-entry",
  setup(build) {
    build.onResolve({ filter: /^\.\/entry\.js$/ }, (args) =>
      args.importer.endsWith("request-bin.ts")
        ? { path: "../chunks/entry.js", external: true }
        : undefined,
    );
  },
};
// tsc's ES module output of the bins would stay where the CommonJS files go.
await rm("dist/bin", { recursive: true, force: true });
await build({
  ...common,
  format: "cjs",
  entryPoints: standalone.map((name) => `src/bin/${name}`),
  plugins: [bundledEntry],
});
await writeFile("dist/bin/package.json", `${JSON.stringify({ type: "commonjs" })}\n`);
for (const name of bins.filter((bin) => !standalone.includes(bin))) {
  const shim = `#!/usr/bin/env node\nimport("../chunks/bin/${stem(name)}.js");\n`;
  await writeFile(`dist/bin/${stem(name)}.js`, shim);
}

function stem(name) {
  return name.replace(/\.ts$/, "");
}
