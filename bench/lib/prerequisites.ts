/** Fails early, saying what to do, when something the benchmark needs is missing. */
import { access, constants, statfs } from "node:fs/promises";
import { tmpdir } from "node:os";
import type { BenchConfig } from "./bench-config.js";
import { runProcess } from "./run-process.js";
import { restageBin } from "./run-restager.js";

const tools = ["docker", "curl", "unzip", "tar", "openssl", "base64", "bash"];

export async function checkPrerequisites(config: BenchConfig): Promise<void> {
  await access(restageBin, constants.R_OK).catch(() => {
    throw new Error(`${restageBin} is missing: run 'npm run build' first`);
  });
  for (const tool of tools) {
    const found = await runProcess("bash", ["-c", `command -v ${tool}`]);
    if (found.exitCode !== 0) throw new Error(`the benchmark needs '${tool}' on the PATH`);
  }
  const image = await runProcess("docker", [
    "image",
    "inspect",
    "--format",
    "{{.Id}}",
    config.image,
  ]);
  if (image.exitCode !== 0) {
    throw new Error(
      `the stack image ${config.image} is missing (${image.stderr.trim()}): run 'npm run setup'`,
    );
  }
  const needMb = neededDiskMb(config);
  const fs = await statfs(tmpdir());
  const freeMb = (fs.bavail * fs.bsize) / 1024 ** 2;
  if (freeMb < needMb) {
    throw new Error(
      `the benchmark needs about ${needMb} MB free in ${tmpdir()}, found ${freeMb.toFixed(0)} MB`,
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
