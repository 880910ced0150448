/**
 * The six steps of the demo. Steps 3, 4 and 6 run the built CLI through the shell, as a user
 * would type it, in the demo's directory and with restager's commands first on PATH; their
 * stderr is streamed under the step as it comes.
 */
import { join } from "node:path";
import type { StagingWorld } from "../../test/kit/staging-world.js";
import { callApp, parseLaunchReport, type LaunchedInstance } from "./call-app.js";
import { writeCliWrappers } from "./cli-wrappers.js";
import { demoApp, logFiles } from "./demo-app.js";
import { describeWorld, startDemoWorld, writeNsyncLog } from "./demo-world.js";
import { removeEarlierImages } from "./earlier-runs.js";
import { runShell, type ShellResult } from "./shell-command.js";
import type { StepPrinter } from "./step-printer.js";

export class DemoSteps {
  world: StagingWorld | undefined;
  /** Set once `launch` was started: from then on a failure must stop the app. */
  launchStarted = false;
  #env: NodeJS.ProcessEnv = process.env;
  #urls: string[] = [];

  constructor(
    private readonly printer: StepPrinter,
    private readonly signal: AbortSignal,
  ) {}

  async startFakeCf(): Promise<void> {
    const world = (this.world = await startDemoWorld());
    for (const line of describeWorld(world)) this.printer.detail(line);
    const bin = await writeCliWrappers(join(world.dir, "bin"));
    this.#env = { ...process.env, PATH: `${bin}:${process.env.PATH ?? ""}`, NO_COLOR: "1" };
    this.printer.detail(`working directory ${world.dir}`);
    await this.#removeLeftovers();
  }

  writeLogs(): Promise<void> {
    const world = this.#requireWorld();
    this.printer.detail(
      `${logFiles.stager}: stager.traditional.build-recipe.staging-task-request` +
        ` (data.taskDefinition, task ${world.stagingGuid})`,
    );
    this.printer.detail(
      `${logFiles.nsync}: written once the droplet is stored, as nsync desires the app then`,
    );
    return Promise.resolve();
  }

  async restage(): Promise<void> {
    const world = this.#requireWorld();
    const { stdout, stderr } = await this.#run(`build_req --log ${logFiles.stager} | restage`);
    if (stderr.some((line) => line.includes("Downloading build artifacts cache failed"))) {
      this.printer.detail("(no build artifacts cache exists before a first staging; Diego");
      this.printer.detail(" wraps that download in a `try`, so its failure is only reported)");
    }
    const result = JSON.parse(stdout) as { process_types?: Record<string, string> };
    this.printer.detail(`restage printed the staging result: web = ${result.process_types?.web}`);
    const [droplet] = world.cf.uploadedDroplets();
    if (droplet === undefined) throw new Error("the fake Cloud Controller received no droplet");
    this.printer.detail(
      `the fake Cloud Controller stored the droplet: ${droplet.size} bytes, md5 ${droplet.md5}`,
    );
    const { lrp } = await writeNsyncLog(world, droplet);
    this.printer.detail(
      `${logFiles.nsync}: nsync-listener.message-builder.desired-app-request` +
        ` (data.desiredLRP, ${String(lrp.instances)} instances, port health check,` +
        ` droplet by its sha256)`,
    );
  }

  async launch(): Promise<void> {
    this.launchStarted = true;
    const { stdout } = await this.#run(`launch_req --log ${logFiles.nsync} | launch --json`);
    const instances = parseLaunchReport(stdout);
    for (const instance of instances) this.printer.detail(describeInstance(instance));
    this.#urls = instances.flatMap((instance) => instance.urls.slice(0, 1));
    if (this.#urls.length === 0) throw new Error("launch reported no instance URL");
  }

  async callApp(): Promise<void> {
    for (const url of this.#urls) {
      const answer = await callApp(`${url}/`, this.signal);
      this.printer.detail(`GET ${answer.url} -> ${answer.status}: ${answer.headline}`);
    }
  }

  /** Step 6, or the cleanup after a failure: stops the app (unless kept) and the fake CF. */
  async cleanUp({ keep, afterFailure }: { keep: boolean; afterFailure: boolean }): Promise<void> {
    try {
      if (keep) {
        this.printer.detail(`${demoApp.name} keeps running: curl ${this.#urls.join(" ")}`);
        this.printer.detail(`stop it with: node dist/bin/restager.js stop ${demoApp.name}`);
      } else if (afterFailure && this.launchStarted) {
        const stop = `restager stop ${demoApp.name}`;
        const { exitCode } = await this.#run(stop, { allow: [0, 66], quiet: true });
        this.printer.detail(exitCode === 0 ? `${stop}: done` : "no instance was left running");
      } else if (this.launchStarted) {
        await this.#run(`restager stop ${demoApp.name}`);
      }
    } finally {
      await this.world?.close();
      this.world = undefined;
      this.printer.detail("fake Cloud Foundry stopped, its files removed");
    }
  }

  /** Stops the app an earlier `--keep` run left running and removes earlier demo images. */
  async #removeLeftovers(): Promise<void> {
    const ps = await this.#run("restager ps --json", { quiet: true });
    const apps = JSON.parse(ps.stdout) as { name?: string }[];
    if (apps.some((app) => app.name === demoApp.name)) {
      this.printer.detail(`an earlier --keep run left ${demoApp.name} running: stopping it`);
      await this.#run(`restager stop ${demoApp.name}`);
    }
    const removed = await removeEarlierImages();
    if (removed > 0) this.printer.detail(`removed ${removed} image(s) of earlier demo runs`);
  }

  /** Runs `command` in the demo directory; throws unless it exits with an allowed code. */
  async #run(
    command: string,
    { allow = [0], quiet = false }: { allow?: number[]; quiet?: boolean } = {},
  ): Promise<ShellResult & { stderr: string[] }> {
    const world = this.#requireWorld();
    if (!quiet) this.printer.detail(`$ ${command}`);
    const stderr: string[] = [];
    const result = await runShell(command, {
      cwd: world.dir,
      env: this.#env,
      signal: this.signal,
      onStderrLine: (line) => {
        stderr.push(line);
        if (!quiet) this.printer.commandLine("stderr", line);
      },
    });
    if (!allow.includes(result.exitCode)) {
      throw new CommandFailedError(command, result.exitCode, quiet ? stderr : []);
    }
    return { ...result, stderr };
  }

  #requireWorld(): StagingWorld {
    if (this.world === undefined) throw new Error("the fake Cloud Foundry is not running");
    return this.world;
  }
}

/** A command of the demo exited with an unexpected code; its message was streamed above. */
export class CommandFailedError extends Error {
  constructor(
    readonly command: string,
    readonly exitCode: number,
    /** Its stderr, when it was not streamed. */
    unseen: string[] = [],
  ) {
    const said = unseen.length > 0 ? `:\n${unseen.join("\n")}` : " (its message is above)";
    super(`'${command}' exited with code ${exitCode}${said}`);
  }
}

function describeInstance(instance: LaunchedInstance): string {
  return `instance #${instance.index}: ${instance.state} at ${instance.urls.join(", ")}`;
}
