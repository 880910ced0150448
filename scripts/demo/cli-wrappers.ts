/**
 * Puts restager's commands on a PATH as `npm install -g` would: one small shell wrapper per
 * `bin` entry of package.json (restager, build_req, launch_req, restage, launch), each running
 * the built `dist/bin/*.js` with this Node. The demo then runs the exact pipelines a user types.
 */
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = resolve(fileURLToPath(new URL("../..", import.meta.url)));

/** Writes the wrappers into `dir` (created); returns it, ready to be put first on PATH. */
export async function writeCliWrappers(dir: string): Promise<string> {
  const bins = await packageBins();
  await mkdir(dir, { recursive: true });
  for (const [name, target] of Object.entries(bins)) {
    const script = resolve(repoRoot, target);
    if (!existsSync(script)) {
      throw new Error(`${script} is missing: run 'npm run build' first (npm run demo does)`);
    }
    const body = `#!/bin/sh\nexec ${shellQuote(process.execPath)} ${shellQuote(script)} "$@"\n`;
    await writeFile(join(dir, name), body, { mode: 0o755 });
  }
  return dir;
}

async function packageBins(): Promise<Record<string, string>> {
  const pkg = JSON.parse(await readFile(join(repoRoot, "package.json"), "utf8")) as {
    bin?: Record<string, string>;
  };
  if (pkg.bin === undefined) throw new Error("package.json has no bin entries");
  return pkg.bin;
}

function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}
