/**
 * The two contenders of the launch benchmark: the launcher image started by hand (the app's own
 * start time), and `restager launch` from spawn to the app's first 200.
 */
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readFile, readdir } from "node:fs/promises";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import Docker from "dockerode";
import { findFreePort } from "../../src/launch/host-ports.js";

const docker = new Docker();
const label = { "io.restager.bench": `launch-${process.pid}` };
const cli = resolve(fileURLToPath(new URL("../../dist/bin/restager.js", import.meta.url)));

export const launchApp = {
  appGuid: "b3b3b3b3-0000-4000-8000-00000000be0c",
  appName: "bench-hello",
};

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

/** The resources a cell (and `launch`) gives the app: the baseline gets the same. */
export interface AppLimits {
  cpuShares: number;
  memoryBytes: number;
  nofile: number;
}

/**
 * The app's own start: the image's entrypoint, with the LRP's env (the launcher reads it) and
 * its limits (under load, CPU shares decide how soon the app gets a core: a baseline at Docker's
 * default 1024 shares would start faster than the same app at the LRP's weight).
 */
export async function baselineStart(
  image: string,
  app: { env: string[]; limits: AppLimits },
): Promise<number> {
  const { env, limits } = app;
  const port = await findFreePort(new Set());
  const started = performance.now();
  const container = await docker.createContainer({
    Image: image,
    Labels: label,
    Env: [...env, "INSTANCE_INDEX=0", "INSTANCE_GUID=00000000-0000-4000-8000-000000000000"],
    ExposedPorts: { "8080/tcp": {} },
    HostConfig: {
      PortBindings: { "8080/tcp": [{ HostPort: String(port) }] },
      Init: true,
      CpuShares: limits.cpuShares,
      Memory: limits.memoryBytes,
      MemorySwap: limits.memoryBytes,
      Ulimits: [{ Name: "nofile", Soft: limits.nofile, Hard: limits.nofile }],
    },
  });
  try {
    await container.start();
    return await firstAnswer(port, started);
  } finally {
    await container.remove({ force: true });
  }
}

export async function launchStart(
  lrpFile: string,
): Promise<{ answerMs: number; returnMs: number }> {
  const port = await findFreePort(new Set());
  const started = performance.now();
  const run = `io.restager.bench-run=${randomUUID()}`;
  const child = spawn(
    process.execPath,
    [cli, "launch", lrpFile, "--publish", `${port}:8080`, "--label", run],
    { stdio: ["ignore", "ignore", "pipe"] },
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
  returned.catch(() => {}); // awaited below; a failure while polling must not go unhandled
  try {
    // A launch that fails never runs a container: stop waiting when it exits.
    await Promise.race([running(run, () => child.exitCode !== null), returned]);
    const answerMs = await firstAnswer(port, started);
    return { answerMs, returnMs: await returned };
  } finally {
    await new Promise<void>((resolve) =>
      spawn(process.execPath, [cli, "stop", launchApp.appName], { stdio: "ignore" }).on(
        "exit",
        () => resolve(),
      ),
    );
    await keepersGone();
  }
}

/**
 * Waits (up to 5 s) until the identity keepers of the launches have ended: after `launch`
 * returned, its keeper makes the next launch's key, and a key being made must not slow the next
 * baseline start down.
 */
async function keepersGone(): Promise<void> {
  const until = performance.now() + 5_000;
  while (performance.now() < until && (await keepersRunning()) > 0) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function keepersRunning(): Promise<number> {
  let count = 0;
  for (const pid of await readdir("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    const cmdline = await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "");
    if (
      cmdline.includes("identity-keeper.js") &&
      cmdline.includes(cli.replace(/restager\.js$/, ""))
    ) {
      count += 1;
    }
  }
  return count;
}

/**
 * Waits until the launched container runs. HTTP polling starts only then, as for the baseline:
 * a connection tried through a published port before the container's network is up stalls for
 * about a second (the proxy's first SYN to the container is lost and retransmitted), which
 * would be measured as start time otherwise.
 */
async function running(runLabel: string, exited: () => boolean): Promise<void> {
  while (!exited()) {
    const found = await docker.listContainers({
      filters: { label: [runLabel], status: ["running"] },
    });
    if (found.length > 0) return;
    // Not more often: every look is an engine request while the engine starts the container.
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The LRP's env and its run action's, as `NAME=value`. */
export function launcherEnv(lrp: Record<string, unknown>): string[] {
  const action = lrp.action as {
    codependent: { actions: { run: { env: { name: string; value: string }[] } }[] };
  };
  const run = action.codependent.actions[0]?.run;
  return [...(lrp.env as { name: string; value: string }[]), ...(run?.env ?? [])].map(
    (v) => `${v.name}=${v.value}`,
  );
}
