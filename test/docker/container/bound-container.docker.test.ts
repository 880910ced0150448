/**
 * A container bound to its owner (ContainerSpec.boundToOwner) must not outlive the process that
 * created it, however that process ends: here a child process creates one and is SIGKILLed.
 * The child runs the built adapter (`npm run build` first), as the CLI would.
 */
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { DockerRuntime } from "../../../src/container/docker-runtime.js";

const image = "restager/stack:bookworm";
const testLabel = "io.restager.test-run";
const runId = `bound-${randomUUID()}`;
const runtime = new DockerRuntime();
const distRuntime = resolve(
  fileURLToPath(new URL("../../..", import.meta.url)),
  "dist/container/docker-runtime.js",
);

afterEach(async () => {
  await runtime.removeLabelled(testLabel, runId);
});

/** Starts a process that creates a bound container, prints its id and then idles. */
function ownerProcess(bound: boolean) {
  const script = `
    const { DockerRuntime } = await import(${JSON.stringify(distRuntime)});
    const spec = { image: ${JSON.stringify(image)}, env: [], labels: { ${JSON.stringify(testLabel)}: ${JSON.stringify(runId)} }, boundToOwner: ${bound} };
    const container = await new DockerRuntime().createIdle(spec);
    process.stdout.write(container.id + "\\n");
    setInterval(() => undefined, 1000);
  `;
  const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const id = new Promise<string>((resolveId, reject) => {
    let text = "";
    child.stdout.on("data", (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes("\n")) resolveId(text.trim());
    });
    child.once("exit", (code) => reject(new Error(`owner exited (${code}) before printing`)));
  });
  return { child, id };
}

async function stateOf(id: string): Promise<string | undefined> {
  const found = await runtime.findContainers(testLabel, runId);
  return found.find((c) => c.id === id)?.state;
}

async function waitUntilGone(id: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await stateOf(id)) === undefined) return true;
    await sleep(100);
  }
  return false;
}

describe("a container bound to its owner", () => {
  it("runs while its owner lives and is removed once the owner is SIGKILLed", async () => {
    const owner = ownerProcess(true);
    const id = await owner.id;
    await sleep(1500);
    expect(await stateOf(id)).toBe("running");
    owner.child.kill("SIGKILL");
    expect(await waitUntilGone(id, 10_000)).toBe(true);
  });

  it("is not bound unless asked: an unbound container stays after its owner died", async () => {
    const owner = ownerProcess(false);
    const id = await owner.id;
    owner.child.kill("SIGKILL");
    await sleep(1500);
    expect(await stateOf(id)).toBe("running");
  });
});
