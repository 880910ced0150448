/**
 * How long `restager launch` takes to get an app answering, against the app's own start time.
 *
 * For one fixture app (hello-shell: bash + busybox httpd, behind the fixture launcher) it runs,
 * RUNS times each (default 5), alternating:
 *  - baseline: create + start the launcher image directly (its own entrypoint, the LRP's env,
 *    one published port) and poll until the app answers 200: the app's own start time in a
 *    plain container;
 *  - launch: spawn the built CLI (`restager launch lrp.json --publish PORT:8080`) and poll the
 *    same way from the moment it is spawned; also note when the CLI returned (it waits for the
 *    health check: Docker runs the first check 2 s after start, Diego's starting interval).
 * It prints medians: overhead = launch-to-first-answer − app start; gate = CLI return − first
 * answer. Needs `npm run build` and the stack image. Run: `npx vite-node bench/launch-bench.ts`.
 */
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Docker from "dockerode";
import { findFreePort } from "../src/launch/host-ports.js";
import { buildDesiredLrp } from "../src/testing/fake-cf/desired-lrp.js";
import type { FakeCfEndpoints } from "../src/testing/fake-cf/fake-cf-options.js";
import { buildLaunchImage, removeImages } from "../src/testing/launch-images.js";

const runs = Number(process.env.RUNS ?? 5);
const docker = new Docker();
const label = { "io.restager.bench": `launch-${process.pid}` };
const app = { appGuid: "b3b3b3b3-0000-4000-8000-00000000be0c", appName: "bench-hello" };
const image = `restager-bench/hello:${process.pid}`;
const cli = join(process.cwd(), "dist", "bin", "restager.js");

/**
 * Polls until the app answers 200. Each attempt gives up after 200 ms (a connection made while
 * the container's network comes up can stall) through a referenced timer, which also keeps
 * Node alive: a fetch stalled in connect does not.
 */
async function firstAnswer(port: number, since: number, timeoutMs = 60_000): Promise<number> {
  for (;;) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 200);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/`, { signal: controller.signal });
      if (response.status === 200) return performance.now() - since;
    } catch {
      // not listening yet
    } finally {
      clearTimeout(timer);
    }
    if (performance.now() - since > timeoutMs) throw new Error(`nothing answered on ${port}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The app's own start: the image's entrypoint, with the LRP's env (the launcher reads it). */
async function baseline(env: string[]): Promise<number> {
  const port = await findFreePort(new Set());
  const started = performance.now();
  const container = await docker.createContainer({
    Image: image,
    Labels: label,
    Env: [...env, "INSTANCE_INDEX=0", "INSTANCE_GUID=00000000-0000-4000-8000-000000000000"],
    ExposedPorts: { "8080/tcp": {} },
    HostConfig: { PortBindings: { "8080/tcp": [{ HostPort: String(port) }] }, Init: true },
  });
  try {
    await container.start();
    return await firstAnswer(port, started);
  } finally {
    await container.remove({ force: true });
  }
}

async function launch(lrpFile: string): Promise<{ answerMs: number; returnMs: number }> {
  const port = await findFreePort(new Set());
  const started = performance.now();
  const run = `io.restager.bench-run=${randomUUID()}`;
  const child = spawn(
    process.execPath,
    [cli, "launch", lrpFile, "--publish", `${port}:8080`, "--label", run],
    {
      stdio: ["ignore", "ignore", "pipe"],
    },
  );
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const returned = new Promise<number>((resolve, reject) =>
    child.on("exit", (code) =>
      code === 0
        ? resolve(performance.now() - started)
        : reject(new Error(`launch exited ${code}: ${stderr}`)),
    ),
  );
  try {
    await running(run);
    const answerMs = await firstAnswer(port, started);
    return { answerMs, returnMs: await returned };
  } finally {
    await new Promise<void>((resolve) =>
      spawn(process.execPath, [cli, "stop", app.appName], { stdio: "ignore" }).on("exit", () =>
        resolve(),
      ),
    );
  }
}

/**
 * Waits until the launched container runs. HTTP polling starts only then, as for the baseline:
 * a connection tried through a published port before the container's network is up stalls for
 * about a second (the proxy's first SYN to the container is lost and retransmitted), which
 * would be measured as start time otherwise.
 */
async function running(label: string): Promise<void> {
  for (;;) {
    const found = await docker.listContainers({ filters: { label: [label], status: ["running"] } });
    if (found.length > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function launcherEnv(lrp: Record<string, unknown>): string[] {
  const action = lrp.action as {
    codependent: { actions: { run: { env: { name: string; value: string }[] } }[] };
  };
  const run = action.codependent.actions[0]?.run;
  return [...(lrp.env as { name: string; value: string }[]), ...(run?.env ?? [])].map(
    (v) => `${v.name}=${v.value}`,
  );
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "restager-launch-bench-"));
  try {
    await buildLaunchImage({
      app: "hello-shell",
      buildpacks: ["shell"],
      skipDetect: true,
      ...app,
      tag: image,
      labels: label,
    });
    const lrp = benchLrp();
    const lrpFile = join(dir, "lrp.json");
    await writeFile(lrpFile, JSON.stringify(lrp));
    console.log(JSON.stringify(summarise(await measure(lrp, lrpFile)), null, 2));
  } finally {
    await removeImages([image]);
    await rm(dir, { recursive: true, force: true });
  }
}

function benchLrp(): Record<string, unknown> {
  return buildDesiredLrp({
    endpoints: {} as FakeCfEndpoints,
    lifecycleUrl: "http://file-server.invalid/lifecycle.tgz",
    dropletUrl: "http://cc.invalid/droplet",
    startCommand: "",
    memoryMb: 128,
    healthCheck: { type: "http", endpoint: "/" },
    ...app,
  });
}

interface Samples {
  app: number[];
  answer: number[];
  returned: number[];
}

async function measure(lrp: Record<string, unknown>, lrpFile: string): Promise<Samples> {
  const samples: Samples = { app: [], answer: [], returned: [] };
  const env = launcherEnv(lrp);
  await baseline(env); // warm-up: page cache, image layers
  for (let i = 0; i < runs; i++) {
    samples.app.push(await baseline(env));
    const { answerMs, returnMs } = await launch(lrpFile);
    samples.answer.push(answerMs);
    samples.returned.push(returnMs);
  }
  return samples;
}

function summarise(samples: Samples) {
  const round = (values: number[]) => values.map(Math.round);
  return {
    runs,
    appStartMs: Math.round(median(samples.app)),
    launchToFirstAnswerMs: Math.round(median(samples.answer)),
    overheadMs: Math.round(median(samples.answer) - median(samples.app)),
    launchReturnedMs: Math.round(median(samples.returned)),
    healthGateMs: Math.round(median(samples.returned) - median(samples.answer)),
    samples: {
      app: round(samples.app),
      answer: round(samples.answer),
      returned: round(samples.returned),
    },
  };
}

await main();
