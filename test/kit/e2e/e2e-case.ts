/**
 * Per-test setup of the restage e2e tests: private directories, a StagingWorld (fake Cloud
 * Foundry) with a unique app guid, and after each test the checks that nothing was left behind.
 *
 * restager labels each staging container `io.restager.managed=true` and
 * `io.restager.app-guid=<guid>`; the guid is unique per test, so the leak check ignores
 * containers that other suites running at the same time create. The CLI runs with TMPDIR set to
 * a private folder, which must be empty again when it exits.
 */
import { randomUUID } from "node:crypto";
import { mkdir, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Docker from "dockerode";
import { afterEach, beforeEach } from "vitest";
import {
  MANAGED_LABEL,
  listRestagerContainers,
  removeLabelledContainers,
  type ListedContainer,
} from "../docker-leaks.js";
import { StagingWorld, type StagingWorldOptions } from "../staging-world.js";
import {
  runCli,
  pipeCli,
  startCli,
  type CliOptions,
  type CliResult,
  type RunningCli,
} from "./cli.js";

const APP_GUID_LABEL = "io.restager.app-guid";

export class E2eCase {
  readonly appGuid = randomUUID();
  readonly worlds: StagingWorld[] = [];

  /** Scratch root; removed after the test. */
  readonly dir: string;
  /** The CLI's working directory (its default ./restager-out lands here). */
  readonly cwd: string;
  /** A fresh download cache. */
  readonly cacheDir: string;
  /** The CLI's TMPDIR. */
  readonly tmpDir: string;
  private readonly before: Set<string>;

  private constructor(parts: {
    dir: string;
    cwd: string;
    cacheDir: string;
    tmpDir: string;
    before: Set<string>;
  }) {
    this.dir = parts.dir;
    this.cwd = parts.cwd;
    this.cacheDir = parts.cacheDir;
    this.tmpDir = parts.tmpDir;
    this.before = parts.before;
  }

  static async create(): Promise<E2eCase> {
    const dir = await mkdtemp(join(tmpdir(), "restager-e2e-"));
    const [cwd, cacheDir, tmp] = ["work", "cache", "tmp"].map((name) => join(dir, name)) as [
      string,
      string,
      string,
    ];
    await Promise.all([cwd, cacheDir, tmp].map((path) => mkdir(path)));
    const before = new Set((await listRestagerContainers()).map((c) => c.id));
    return new E2eCase({ dir, cwd, cacheDir, tmpDir: tmp, before });
  }

  /** A fake CF with the fixtures registered, for this test's app guid; closed after the test. */
  async world(options: StagingWorldOptions = {}): Promise<StagingWorld> {
    const world = await StagingWorld.create({ appGuid: this.appGuid, ...options });
    this.worlds.push(world);
    return world;
  }

  /** Options every CLI run of this test gets: cwd, TMPDIR, XDG_CACHE_HOME. */
  cliOptions(extra: CliOptions = {}): CliOptions {
    return {
      cwd: this.cwd,
      ...extra,
      env: { TMPDIR: this.tmpDir, XDG_CACHE_HOME: this.cacheDir, ...extra.env },
    };
  }

  /** `restage <args> --cache-dir <fresh cache>`. */
  restage(args: string[], extra: CliOptions = {}): Promise<CliResult> {
    return runCli("restage", [...args, "--cache-dir", this.cacheDir], this.cliOptions(extra));
  }

  /** `build-req --log <world log> | restage <args> --cache-dir <cache>`. */
  async restageFromLog(world: StagingWorld, args: string[] = []): Promise<CliResult> {
    const { from, to } = await pipeCli(
      { bin: "build-req", args: ["--log", world.logFile] },
      { bin: "restage", args: [...args, "--cache-dir", this.cacheDir] },
      this.cliOptions(),
    );
    if (from.exitCode !== 0) throw new Error(`build-req failed (${from.exitCode}): ${from.stderr}`);
    return to;
  }

  startRestage(args: string[]): RunningCli {
    return startCli("restage", [...args, "--cache-dir", this.cacheDir], this.cliOptions());
  }

  /** Containers of this test's app that appeared since the test started. */
  async newContainers(): Promise<ListedContainer[]> {
    const now = await listRestagerContainers(`${APP_GUID_LABEL}=${this.appGuid}`);
    return now.filter((c) => c.labels[MANAGED_LABEL] === "true" && !this.before.has(c.id));
  }

  /** Checks that nothing is left behind, then removes everything; rejects naming the leaks. */
  async finish(): Promise<void> {
    const problems: string[] = [];
    try {
      const leaked = await this.newContainers();
      if (leaked.length > 0) {
        const names = leaked.map((c) => `${c.name} (${c.id.slice(0, 12)}, ${c.state})`);
        problems.push(`containers left behind: ${names.join(", ")}`);
      }
      const leftovers = await readdir(this.tmpDir);
      if (leftovers.length > 0) problems.push(`temp files left behind: ${leftovers.join(", ")}`);
    } finally {
      await removeLabelledContainers(APP_GUID_LABEL, this.appGuid);
      await removeLabelledImages(APP_GUID_LABEL, this.appGuid);
      await Promise.all(this.worlds.map((world) => world.close()));
      await rm(this.dir, { recursive: true, force: true });
    }
    if (problems.length > 0) throw new Error(problems.join("; "));
  }
}

/**
 * Images restage built for the app (its result, not a leak) are removed with the test, with
 * every tag; they carry the test's unique app guid as a label, as its containers do.
 */
async function removeLabelledImages(label: string, value: string): Promise<void> {
  const docker = new Docker();
  const images = await docker.listImages({ filters: { label: [`${label}=${value}`] } });
  for (const image of images) {
    await docker
      .getImage(image.Id)
      .remove({ force: true })
      .catch((error: unknown) => {
        if ((error as { statusCode?: unknown }).statusCode !== 404) throw error;
      });
  }
}

/** Registers beforeEach/afterEach hooks; call the returned function inside a test. */
export function useE2eCase(): () => E2eCase {
  let current: E2eCase | undefined;
  beforeEach(async () => {
    current = await E2eCase.create();
  });
  afterEach(async () => {
    const finishing = current;
    current = undefined;
    await finishing?.finish();
  });
  return () => {
    if (current === undefined) throw new Error("useE2eCase(): no test is running");
    return current;
  };
}
