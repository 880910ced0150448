/**
 * Issue 14 goal 5, the image side: a big droplet (BENCH_BIG_MB, 500 MB; 20 with --quick) built
 * into its launcher image by the CLI in a cold process (`restager image`, a droplet it has never
 * seen: read once, spooled, loaded), with its peak RSS, against the same bytes moved by the
 * kernel and the engine alone, measured in the same run: `tar -czf` of the droplet's contents
 * (what the builder does to make it) and `docker import` of its layer tar (the engine's own
 * ingest of the one layer restager adds).
 */
import { mkdir, readdir, rm, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { DockerImageStore } from "../../src/container/docker-image-store.js";
import { runMeasured, type RssMethod } from "./peak-rss.js";
import { checkSuccess, runProcess } from "./run-process.js";

const restagerBin = resolve(fileURLToPath(new URL("../../dist/bin/restager.js", import.meta.url)));

export interface ThroughputFigures {
  dropletMb: number;
  dropletFileBytes: number;
  /** `tar -czf` of the droplet's contents. */
  tarMs: number;
  /** `restager image` of the droplet, spawn to exit. */
  imageMs: number;
  peakRssBytes: number | undefined;
  rssMethod: RssMethod;
  /** `docker import` of the droplet's layer tar. */
  importMs: number;
  /** Files restager left in its TMPDIR (its layer spool must be gone). */
  leftovers: string[];
}

export interface ThroughputRun {
  dir: string;
  mb: number;
  stackImage: string;
  lifecycle: string;
  repository: string;
  images: DockerImageStore;
  /** Writes the droplet's contents (random bytes and small files) into a directory. */
  writeContents: (root: string, mb: number) => Promise<void>;
  /** Writes the droplet's layer tar, as restager loads it, to a file. */
  writeLayer: (droplet: string, layerPath: string) => Promise<void>;
  signal: AbortSignal;
  verbose: boolean;
}

export async function measureThroughput(run: ThroughputRun): Promise<ThroughputFigures> {
  const root = join(run.dir, "big-contents");
  const droplet = join(run.dir, "big.tgz");
  const tmp = join(run.dir, "big-tmp");
  await mkdir(tmp, { recursive: true });
  await run.writeContents(root, run.mb);
  const { signal } = run;
  const tar = await runProcess("tar", ["-czf", droplet, "-C", root, "."], { signal });
  checkSuccess("tar -czf", tar);
  await rm(root, { recursive: true, force: true });
  const dropletFileBytes = (await stat(droplet)).size;
  const tag = `${run.repository}:big`;
  const cli = [restagerBin, "image", "--droplet", droplet, "--lifecycle", run.lifecycle];
  cli.push("--stack", run.stackImage, "--app-name", "bench", "--tag", tag);
  const env = { ...process.env, TMPDIR: tmp, XDG_CACHE_HOME: join(run.dir, "big-cache") };
  const measured = await runMeasured(process.execPath, cli, {
    env,
    signal,
    echoStderr: run.verbose,
    scratchDir: run.dir,
  });
  checkSuccess("restager image", measured.result);
  const leftovers = await readdir(tmp);
  await run.images.untag(tag);
  const layerPath = join(run.dir, "big.layer.tar");
  await run.writeLayer(droplet, layerPath);
  const importTag = `${run.repository}:big-import`;
  const args = ["import", "--change", "LABEL io.restager.managed=true", layerPath, importTag];
  const imported = checkSuccess("docker import", await runProcess("docker", args, { signal }));
  await run.images.untag(importTag);
  await rm(layerPath, { force: true });
  await rm(droplet, { force: true });
  return {
    dropletMb: run.mb,
    dropletFileBytes,
    tarMs: tar.wallMs,
    imageMs: measured.result.wallMs,
    peakRssBytes: measured.peakRssBytes,
    rssMethod: measured.rssMethod,
    importMs: imported.wallMs,
    leftovers,
  };
}
