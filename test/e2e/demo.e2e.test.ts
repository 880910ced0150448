/**
 * The README's first command, `npm run demo`, run as a newcomer runs it (machine setup, build,
 * then scripts/demo.ts against the real engine), twice in a row: the second time with `--keep`,
 * which must leave the app answering until `restager stop demo-app`.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import Docker from "dockerode";
import { execa } from "execa";
import { afterAll, describe, expect, it } from "vitest";
import { demoApp, expectedGreeting } from "../../scripts/demo/demo-app.js";
import { listRestagerContainers } from "../kit/docker-leaks.js";
import { runCli } from "../kit/e2e/cli.js";

const repoRoot = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const appLabel = `io.restager.app-guid=${demoApp.guid}`;

async function npmRunDemo(...args: string[]) {
  const run = await execa("npm", ["run", "demo", ...(args.length > 0 ? ["--", ...args] : [])], {
    cwd: repoRoot,
    env: { NO_COLOR: "1" },
    reject: false,
    all: true,
    timeout: 240_000,
  });
  return { exitCode: run.exitCode, output: run.all ?? "" };
}

/** Every step header in order, each followed (later) by its timing, and the final line. */
function expectSixTimedSteps(output: string): void {
  const headers = [...output.matchAll(/^==> \[(\d)\/6\] .+ \.\.\.$/gm)].map((m) => m[1]);
  expect(headers).toEqual(["1", "2", "3", "4", "5", "6"]);
  expect(output.match(/^ {4}done in \d+\.\ds$/gm)).toHaveLength(6);
  expect(output).toMatch(/^Demo finished in \d+\.\ds\.$/m);
  expect(output).not.toContain("FAILED");
}

/** The page each instance served: `GET <url>/ -> 200: Hello from restager`, one per instance. */
function answeredUrls(output: string): string[] {
  const pattern = new RegExp(`^ {4}GET (http://\\S+)/ -> 200: ${expectedGreeting}$`, "gm");
  return [...output.matchAll(pattern)].map((m) => m[1] ?? "");
}

/** The demo's own directory (fake CF files, logs), which it must remove. */
function workingDirectory(output: string): string {
  return /^ {4}working directory (\S+)$/m.exec(output)?.[1] ?? "";
}

afterAll(async () => {
  await runCli("restager", ["stop", demoApp.name]);
  const docker = new Docker();
  for (const image of await docker.listImages({ filters: { label: [appLabel] } })) {
    await docker
      .getImage(image.Id)
      .remove({ force: true })
      .catch(() => undefined);
  }
});

describe("npm run demo", () => {
  it("stages, launches and calls the app, then removes everything but the image", async () => {
    const { exitCode, output } = await npmRunDemo();
    expect(exitCode, output).toBe(0);
    expectSixTimedSteps(output);
    expect(output).toContain("$ build_req --log stager.stdout.log | restage");
    expect(output).toContain("[STG] OUT Uploading complete");
    expect(output).toMatch(
      /the fake Cloud Controller stored the droplet: \d+ bytes, md5 [0-9a-f]{32}/,
    );
    expect(output).toContain("$ launch_req --log nsync_listener.stdout.log | launch --json");
    // The LRP names the stored droplet's checksum, so the launch downloads that droplet.
    expect(output).not.toMatch(/droplet could not be downloaded/);
    expect(answeredUrls(output)).toHaveLength(demoApp.instances);
    expect(output).toContain(`$ restager stop ${demoApp.name}`);
    expect(await listRestagerContainers(appLabel)).toEqual([]);
    expect(existsSync(workingDirectory(output))).toBe(false);
    expect(await new Docker().getImage(`restager/${demoApp.name}:latest`).inspect()).toBeTruthy();
  });

  it("works a second time in a row, and --keep leaves the app answering until it is stopped", async () => {
    const { exitCode, output } = await npmRunDemo("--keep");
    expect(exitCode, output).toBe(0);
    expectSixTimedSteps(output);
    expect(output).toContain(`stop it with: node dist/bin/restager.js stop ${demoApp.name}`);
    const running = await listRestagerContainers(appLabel);
    expect(running.map((c) => c.state)).toEqual(["running", "running"]);
    for (const url of answeredUrls(output)) {
      expect(await (await fetch(`${url}/`)).text()).toContain(expectedGreeting);
    }

    const stopped = await runCli("restager", ["stop", demoApp.name]);
    expect(stopped.exitCode, stopped.stderr).toBe(0);
    expect(await listRestagerContainers(appLabel)).toEqual([]);
  });
});
