/** Fails early, saying what to do, when something a benchmark needs is missing. */
import { access, constants, statfs } from "node:fs/promises";
import { tmpdir } from "node:os";
import type { BenchConfig } from "./bench-config.js";
import { runProcess } from "./run-process.js";
import { restageBin } from "./run-restager.js";
import { buildReqBin } from "./scrape-contenders.js";

const restageTools = ["docker", "curl", "unzip", "tar", "openssl", "base64", "bash"];
const scrapeTools = ["bash", "grep", "tail", "jq"];
const hints: Record<string, string> = { jq: " (Debian/Ubuntu: apt-get install -y jq)" };

/** The restage benchmark: the built CLI, the tools of bench/baseline.sh, the stack image, disk. */
export async function checkPrerequisites(config: BenchConfig): Promise<void> {
  await checkBuilt(restageBin);
  await checkTools(restageTools);
  await checkStackImage(config.image);
  await checkDisk(neededDiskMb(config), "the restage benchmark");
}

/** The scraper benchmark: build-req, grep/tail/jq, room for the log. */
export async function checkScrapeTools(config: BenchConfig): Promise<void> {
  await checkBuilt(buildReqBin);
  await checkTools(scrapeTools);
  // One log at a time: each is deleted before the next is written.
  await checkDisk(Math.ceil(Math.max(...config.logMb) * 1.05 + 100), "the scraper benchmark");
}

export async function checkStackImage(image: string): Promise<void> {
  const found = await runProcess("docker", ["image", "inspect", "--format", "{{.Id}}", image]);
  if (found.exitCode !== 0) {
    throw new Error(
      `the stack image ${image} is missing (${found.stderr.trim()}): run 'npm run setup'`,
    );
  }
}

async function checkBuilt(bin: string): Promise<void> {
  await access(bin, constants.R_OK).catch(() => {
    throw new Error(`${bin} is missing: run 'npm run build' first`);
  });
}

async function checkTools(tools: readonly string[]): Promise<void> {
  for (const tool of tools) {
    const found = await runProcess("bash", ["-c", `command -v ${tool}`]);
    if (found.exitCode !== 0) {
      throw new Error(`the benchmark needs '${tool}' on the PATH${hints[tool] ?? ""}`);
    }
  }
}

async function checkDisk(needMb: number, what: string): Promise<void> {
  const fs = await statfs(tmpdir());
  const freeMb = (fs.bavail * fs.bsize) / 1024 ** 2;
  if (freeMb < needMb) {
    throw new Error(
      `${what} needs about ${needMb} MB free in ${tmpdir()}, found ${freeMb.toFixed(0)} MB`,
    );
  }
}

/**
 * A generous estimate: every input is written once, downloaded about three times (restager's
 * cache, the baseline, the fake CF's spools) and staged into a container with its droplet, and
 * the big app once more into restager's image; the docker data root is assumed to share the disk.
 */
export function neededDiskMb(config: BenchConfig): number {
  const standard = config.appMb + config.buildpackMb * config.buildpackCount;
  return Math.ceil(standard * 6 + config.bigMb * 10 + 200);
}
