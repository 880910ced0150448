/**
 * Fixture apps staged by the BUILT `restage`, for the `launch` e2e tests: a StagingWorld (fake
 * Cloud Foundry) holds the app and its buildpack, `build-req --log <stager log> | restage`
 * stages it and builds its launcher image (labelled io.restager.app-guid=<the app's guid>), and
 * the desired LRPs the tests launch are the ones nsync would build for that app: same app guid
 * and name, the staged start command, the droplet on the fake Cloud Controller.
 *
 * Each app has its own E2eCase (unique guid, cache and TMPDIR), shared by the tests of a file;
 * finishing it checks that nothing of the app is left behind and removes its image.
 */
import { randomBytes } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import {
  buildDesiredLrp,
  type DesiredLrpJson,
  type DesiredLrpOptions,
} from "../fake-cf/desired-lrp.js";
import { desiredLrpLogLine } from "../fake-cf/log-lines.js";
import type { StagingWorld } from "../staging-world.js";
import type { CliOptions } from "./cli.js";
import { E2eCase } from "./e2e-case.js";

/** Fixture apps (fixtures/apps/NAME) and the fixture buildpack that stages each. */
const buildpackOf = { "hello-shell": "shell", "hello-static": "static", crash: "shell" } as const;

export type FixtureApp = keyof typeof buildpackOf;

export interface RestagedAppSpec {
  app: FixtureApp;
  /** Also names the image: restager/<name>:<droplet md5 prefix> and :latest. */
  appName: string;
}

/** What `restage --json` reports about the image it built. */
export interface RestagedImage {
  id: string;
  tags: string[];
  droplet_md5: string;
  start_command: string;
}

/** Files `launch` reads: the bare LRP JSON and an nsync-listener log holding it. */
export interface LrpFiles {
  file: string;
  logFile: string;
}

export class RestagedApp {
  constructor(
    readonly e2e: E2eCase,
    readonly world: StagingWorld,
    readonly appName: string,
    readonly image: RestagedImage,
    /** The staged droplet's sha256, as restage --json reports it. */
    readonly dropletSha256: string,
  ) {}

  get appGuid(): string {
    return this.world.appGuid;
  }

  /**
   * The DesiredLRP nsync would desire for the staged droplet (128 MB unless told otherwise);
   * `options` adds instances, ports, health check, env or a different start command, and
   * `vcapServices` replaces the recorded VCAP_SERVICES (`{}`) in the launcher's env.
   */
  lrp(options: Partial<DesiredLrpOptions> & { vcapServices?: object } = {}): DesiredLrpJson {
    const { vcapServices, ...rest } = options;
    const endpoints = this.world.cf.endpoints();
    const lrp = buildDesiredLrp({
      endpoints,
      appGuid: this.appGuid,
      appName: this.appName,
      dropletUrl: `${endpoints.cloudController}/internal/v2/droplets/${this.appGuid}/${this.dropletSha256}/download`,
      startCommand: this.image.start_command,
      memoryMb: 128,
      ...rest,
    });
    if (vcapServices !== undefined) {
      const services = runEnv(lrp).find((v) => v.name === "VCAP_SERVICES");
      if (services) services.value = JSON.stringify(vcapServices);
    }
    return lrp;
  }

  /** Writes `lrp` as `<name>.json` and as a line of `<name>.nsync.log` among other lines. */
  async writeLrp(name: string, lrp: DesiredLrpJson): Promise<LrpFiles> {
    const file = join(this.e2e.dir, `${name}.json`);
    const logFile = join(this.e2e.dir, `${name}.nsync.log`);
    await writeFile(file, JSON.stringify(lrp, null, 2));
    await writeFile(logFile, `${noiseLine()}\n${desiredLrpLogLine(lrp)}\n${noiseLine()}\n`);
    return { file, logFile };
  }

  /** The app's CLI options (its TMPDIR, checked empty at the end, and cache). */
  cli(extra: CliOptions = {}): CliOptions {
    return this.e2e.cliOptions(extra);
  }
}

/** Stages `spec.app` with `build-req --log | restage --json --cache-dir`; rejects on failure. */
export async function restageApp(e2e: E2eCase, spec: RestagedAppSpec): Promise<RestagedApp> {
  const world = await e2e.world({
    app: spec.app,
    buildpacks: [buildpackOf[spec.app]],
    appName: spec.appName,
  });
  const run = await e2e.restageFromLog(world, ["--json"]);
  if (run.exitCode !== 0) {
    throw new Error(`restage of ${spec.app} failed (${String(run.exitCode)}):\n${run.stderr}`);
  }
  const report = JSON.parse(run.stdout) as {
    image: RestagedImage | null;
    droplet: { sha256: string };
  };
  const { image } = report;
  if (image === null) throw new Error(`restage of ${spec.app} built no image:\n${run.stderr}`);
  return new RestagedApp(e2e, world, spec.appName, image, report.droplet.sha256);
}

/**
 * Registers beforeAll/afterAll hooks that restage every app of `specs` (in parallel) once for
 * the file and finish their cases afterwards; call the returned function inside a test.
 */
export function useRestagedApps<K extends string>(
  specs: Record<K, RestagedAppSpec>,
): () => Record<K, RestagedApp> {
  const cases: E2eCase[] = [];
  let apps: Record<K, RestagedApp> | undefined;
  beforeAll(async () => {
    const entries = Object.entries(specs) as [K, RestagedAppSpec][];
    const staged = await Promise.all(
      entries.map(async ([key, spec]) => {
        const e2e = await E2eCase.create();
        cases.push(e2e);
        return [key, await restageApp(e2e, spec)] as const;
      }),
    );
    apps = Object.fromEntries(staged) as Record<K, RestagedApp>;
  });
  afterAll(async () => {
    apps = undefined;
    const results = await Promise.allSettled(cases.map((e2e) => e2e.finish()));
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failed.length > 0) throw new Error(failed.map((r) => String(r.reason)).join("; "));
  });
  return () => {
    if (apps === undefined) throw new Error("useRestagedApps(): the apps are not staged");
    return apps;
  };
}

/** The launcher run action's env of an LRP built by buildDesiredLrp. */
export function runEnv(lrp: DesiredLrpJson): { name: string; value: string }[] {
  const action = lrp.action as {
    codependent: { actions: { run?: { env: { name: string; value: string }[] } }[] };
  };
  return action.codependent.actions[0]?.run?.env ?? [];
}

/** A unique, readable app name for one test file's run: `<base>-<8 hex>`. */
export function uniqueAppName(base: string): string {
  return `${base}-${randomBytes(4).toString("hex")}`;
}

/** A line from another component, as nsync logs hold between desired-app requests. */
function noiseLine(): string {
  return JSON.stringify({
    timestamp: (Date.now() / 1000).toFixed(9),
    source: "nsync-listener",
    message: "nsync-listener.desire-app.request-complete",
    log_level: 1,
    data: { session: "12" },
  });
}
