/**
 * The package as a user gets it: `npm pack`, the tarball unpacked as
 * `<tmp>/node_modules/restager`, its runtime dependencies linked from this checkout's
 * node_modules (no network), and a plain ESM script that imports `restager` by its name.
 * Needs `dist/` (npm run build), as the other e2e tests do.
 */
import { readFileSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixturesDir } from "../kit/fixture-blobs.js";
import { findLatestRequest } from "../../src/request-input/scrape/find-latest-request.js";
import { fileLogInput } from "../../src/request-input/scrape/log-input.js";

const repoRoot = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const taskFile = join(fixturesDir, "requests", "cfdot-task.json");
const logFile = join(fixturesDir, "logs", "stager-bbs-2016.log");

/** What the user's script prints: one JSON line. */
const script = `
import { Readable } from "node:stream";
import * as restager from "restager";
import { loadRequest, findLatestRequest, fileLogInput, buildPlan, renderPlan, explain } from "restager";

const [taskFile, logFile] = process.argv.slice(2);
const loaded = await loadRequest({ file: taskFile, stdin: Readable.from([]) });
const found = await findLatestRequest([fileLogInput(logFile)], { family: "task" });
let refused;
try {
  await loadRequest({ stdin: Readable.from(["{ not json"]) });
} catch (error) {
  refused = { name: error.name, exitCode: error.exitCode, isRestagerError: error instanceof restager.RestagerError };
}
// The explain use case, as the CLI runs it: plain options in, a report out, nothing printed.
const explained = await explain(
  { file: taskFile, json: false },
  {
    stdin: Readable.from([]),
    tls: async () => ({ extraCaPems: [], insecure: false }),
    onInputWarnings: () => {},
  },
);
const useCases = ["runRestage", "runImage", "launch", "explain", "findRequest"];
const adapters = ["DockerRuntime", "DockerApps", "DockerImageStore", "DockerSwarm", "TarArchives", "createHttpClients"];
console.log(JSON.stringify({
  kind: loaded.request.kind,
  explained: { kind: explained.kind, endpoints: explained.endpoints.length > 0 },
  exported: [...useCases, ...adapters].filter((name) => typeof restager[name] !== "function"),
  taskGuid: loaded.request.taskGuid,
  origin: loaded.origin,
  plan: renderPlan(buildPlan(loaded.request)).split("\\n")[0],
  found: { kind: found.kind, line: found.origin.line, guid: found.meta.stagingGuid },
  refused,
}));
`;

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "restager-package-"));
  const packed = await execa("npm", ["pack", "--json", "--pack-destination", dir], {
    cwd: repoRoot,
  });
  const [{ filename }] = JSON.parse(packed.stdout) as [{ filename: string }];
  const installed = join(dir, "node_modules", "restager");
  await mkdir(installed, { recursive: true });
  await execa("tar", ["-xzf", join(dir, filename), "-C", installed, "--strip-components=1"]);
  // The runtime dependencies, as npm would have installed them next to the package.
  const manifest = JSON.parse(await readFile(join(installed, "package.json"), "utf8")) as {
    dependencies: Record<string, string>;
  };
  for (const name of Object.keys(manifest.dependencies)) {
    const link = join(dir, "node_modules", name);
    await mkdir(dirname(link), { recursive: true });
    await symlink(join(repoRoot, "node_modules", name), link, "dir");
  }
  await writeFile(join(dir, "use-restager.mjs"), script);
}, 120_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("the packed package", () => {
  it("ships the library entry point and its types, and no tests", async () => {
    const listed = await execa("tar", ["-tzf", await tarball()]);
    const files = listed.stdout.split("\n");
    expect(files).toContain("package/dist/index.js");
    expect(files).toContain("package/dist/index.d.ts");
    expect(files.filter((file) => /\.test\.|\/test\/|\/kit\//.test(file))).toEqual([]);
  });

  it("imports by name: parses a request, finds the latest task in a log, runs the explain use case", async () => {
    const run = await execa("node", ["use-restager.mjs", taskFile, logFile], { cwd: dir });
    const out = JSON.parse(run.stdout) as Record<string, unknown>;
    const expected = await findLatestRequest([fileLogInput(logFile)], { family: "task" });
    expect(out).toEqual({
      kind: "task",
      explained: { kind: "plan", endpoints: true },
      exported: [],
      taskGuid: "b8f1c3e2-6a4d-4f7b-9c2e-1d5a7e9b3f60",
      origin: taskFile,
      plan: expect.stringContaining("b8f1c3e2-6a4d-4f7b-9c2e-1d5a7e9b3f60") as unknown,
      found: { kind: "task", line: expected.origin.line, guid: expected.meta.stagingGuid },
      refused: { name: "InvalidInputError", exitCode: 65, isRestagerError: true },
    });
    expect(expected.origin.line).toBeGreaterThan(0);
    expect(run.stderr).toBe("");
  });

  it("runs its bins: the CommonJS files of dist/bin, and the ES module chunks behind them", async () => {
    const bin = (name: string) =>
      join(dir, "node_modules", "restager", "dist", "bin", `${name}.js`);
    const version = await execa("node", [bin("restager"), "--version"], { cwd: dir });
    expect(version.stdout).toBe(manifestVersion());
    const found = await execa("node", [bin("build-req"), "--log", logFile], { cwd: dir });
    const expected = await findLatestRequest([fileLogInput(logFile)], { family: "task" });
    expect(found.stdout).toBe(expected.rawText);
    // Its spelling is not build-req's fast path: it goes through the ES module chunk entry.js.
    const help = await execa("node", [bin("launch-req"), "--help"], { cwd: dir });
    expect(help.stdout).toContain("launch-req");
    for (const name of ["restage", "launch"]) {
      const run = await execa("node", [bin(name), "--help"], { cwd: dir });
      expect(run.stdout).toContain(name);
    }
  });

  it("refuses deep imports: only the entry point is the API", async () => {
    const run = await execa(
      "node",
      ["--input-type=module", "-e", 'import "restager/dist/cli/main.js"'],
      {
        cwd: dir,
        reject: false,
      },
    );
    expect(run.exitCode).not.toBe(0);
    expect(run.stderr).toContain("ERR_PACKAGE_PATH_NOT_EXPORTED");
  });
});

function manifestVersion(): string {
  const manifest = readFileSync(join(repoRoot, "package.json"), "utf8");
  return (JSON.parse(manifest) as { version: string }).version;
}

async function tarball(): Promise<string> {
  const name = (await readdir(dir)).find((file) => file.endsWith(".tgz"));
  if (name === undefined) throw new Error(`no tarball in ${dir}`);
  return join(dir, name);
}
