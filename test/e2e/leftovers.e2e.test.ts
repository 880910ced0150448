/**
 * The next restage reaps what a dead run left, and never what a live run owns. Three restagers
 * of one app share the engine (their fake Cloud Foundries serve the static buildpack padded with
 * different random bytes, so each fills its own dependency volume):
 *
 * - B (live) is paused with SIGSTOP in the middle of filling its volume: a live owner whose
 *   fill is unfinished;
 * - A (dead) is SIGKILLed in the middle of filling its volume: a fill container, a half-filled
 *   volume and a temp directory whose owner is gone;
 * - `restager ps --all` lists both, with why, marking only A's for removal;
 * - C, a plain restage, runs next: it must remove A's leftovers (one line saying so), leave B's
 *   alone, and succeed; B, resumed, must then succeed too.
 */
import { randomBytes } from "node:crypto";
import { readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import Docker from "dockerode";
import { afterEach, describe, expect, it } from "vitest";
import { buildpackKey, buildZip, fixturesDir, readTree } from "../kit/fixture-blobs.js";
import type { StagingWorld } from "../kit/staging-world.js";
import { runCli, startCli, type RunningCli } from "../kit/e2e/cli.js";
import { useE2eCase, type E2eCase } from "../kit/e2e/e2e-case.js";
import { expectExit, expectNoStackTrace } from "../kit/e2e/expectations.js";

const docker = new Docker();
const ownerLabel = "io.restager.owner";
const paddingBytes = 40 * 1024 * 1024;
let createdVolumes: string[] = [];

afterEach(async () => {
  for (const name of createdVolumes) {
    await docker
      .getVolume(name)
      .remove()
      .catch(() => undefined);
    await docker
      .getVolume(`${name}-complete`)
      .remove()
      .catch(() => undefined);
  }
  createdVolumes = [];
});

describe("leftovers of a dead restage", () => {
  const current = useE2eCase();

  it("are removed by the next restage, while a live concurrent restage keeps what it owns", async () => {
    const e2e = current();
    // Warm: the lifecycle and the plain static buildpack get complete volumes first.
    const plain = await e2e.world({ buildpacks: ["static"] });
    expectExit(await e2e.restage([plain.taskFile, "--no-image"]), 0);

    const live = await paddedWorld(e2e);
    const bFills = await fillCreations(e2e);
    const b = startRestage(e2e, live);
    const bFill = await bFills.of(b, "SIGSTOP");
    try {
      const dead = await paddedWorld(e2e);
      const aFills = await fillCreations(e2e);
      const a = startRestage(e2e, dead);
      const aFill = await aFills.of(a, "SIGKILL");
      expect((await a.result).signal).toBe("SIGKILL");
      const aVolumes = await volumesOwnedBy(a.pid);
      createdVolumes.push(...aVolumes, ...(await volumesOwnedBy(b.pid)));
      expect(aVolumes).toHaveLength(1);
      expect(await isComplete(aVolumes[0] ?? "")).toBe(false);
      expect(await containerExists(aFill)).toBe(true);
      expect(await runTempDirs(e2e, a.pid)).toHaveLength(1);

      // `ps --all` shows both runs' things, with why, and which the next restage removes.
      const ps = await runCli("restager", ["ps", "--all"], e2e.cliOptions());
      expectExit(ps, 0);
      const row = (needle: string) => ps.stdout.split("\n").find((l) => l.includes(needle)) ?? "";
      expect(row(aFill.slice(0, 12))).toMatch(
        new RegExp(
          `^  fill container \\S+ \\(${aFill.slice(0, 12)}\\) of node-env: created; its restage \\(pid ${a.pid}\\) is gone \\(the next restage removes it\\)$`,
        ),
      );
      expect(row(aVolumes[0] ?? "")).toBe(
        `  dependency volume ${aVolumes[0]}: half-filled; its restage (pid ${a.pid}) is gone (the next restage removes it)`,
      );
      expect(row(bFill.slice(0, 12))).toContain(`: in use by the restage running as pid ${b.pid}`);
      expect(row(`_${b.pid}_`)).toContain(`in use by the restage running as pid ${b.pid}`);
      expect(row(`_${a.pid}_`)).toContain("(the next restage removes it)");

      const c = await e2e.restage([plain.taskFile, "--no-image"]);
      expectExit(c, 0);
      const lines = c.stderr.split("\n").filter((l) => l.startsWith("Removed what restages"));
      expect(lines).toHaveLength(1);
      const line = lines[0] ?? "";
      expect(line).toContain(`fill container `);
      expect(line).toContain(`(${aFill.slice(0, 12)}) of node-env`);
      expect(line).toContain(`dependency volume ${aVolumes[0]}`);
      expect(line).toMatch(new RegExp(`temp directory \\S+restager-run_[^_]+_${a.pid}_`));
      expectNoStackTrace(c);
      expect(await containerExists(aFill)).toBe(false);
      expect(await volumesOwnedBy(a.pid)).toEqual([]);
      expect(await runTempDirs(e2e, a.pid)).toEqual([]);
      // B's fill container, volume and temp directory are untouched.
      expect(await containerExists(bFill)).toBe(true);
      expect(await volumesOwnedBy(b.pid)).toHaveLength(1);
      expect(await runTempDirs(e2e, b.pid)).toHaveLength(1);
      expect(line).not.toContain(bFill.slice(0, 12));
    } finally {
      process.kill(b.pid, "SIGCONT");
    }
    const bRun = await b.result;
    expectExit(bRun, 0);
    expect(bRun.stderr).not.toContain("Removed what restages");
    expect(live.cf.uploadedDroplets()).toHaveLength(1);
  });
});

/** A world whose static buildpack carries 40 MiB of random bytes: a fill that takes a while. */
async function paddedWorld(e2e: E2eCase): Promise<StagingWorld> {
  const world = await e2e.world({ buildpacks: ["static"] });
  const entries = await readTree(join(fixturesDir, "buildpacks", "static"));
  const payload = { path: "payload.bin", type: "file" as const, mode: 0o644 };
  const zip = join(world.dir, `static-padded-${randomBytes(4).toString("hex")}.zip`);
  await writeFile(zip, buildZip([...entries, { ...payload, data: randomBytes(paddingBytes) }]));
  await world.cf.blobstore.add(`cc-buildpacks/${buildpackKey("static")}`, zip);
  return world;
}

function startRestage(e2e: E2eCase, world: StagingWorld): RunningCli {
  return startCli(
    "restage",
    [world.taskFile, "--no-image", "--cache-dir", join(world.dir, "cache")],
    e2e.cliOptions(),
  );
}

/**
 * Watches the engine's container `create` events of this case's fill containers. `of(run, sig)`
 * sends `sig` to `run` the moment its fill container is created (the fill then has only begun:
 * the dependency's 40 MiB are still to be uploaded into it), and returns the container id.
 * Polling the container list instead could miss the fill on a busy machine.
 */
async function fillCreations(e2e: E2eCase) {
  const events = (await docker.getEvents({
    filters: {
      type: ["container"],
      event: ["create"],
      label: [`io.restager.app-guid=${e2e.appGuid}`, "io.restager.kind=dependency-fill"],
    },
  })) as NodeJS.ReadableStream & { destroy(): void };
  const of = async (run: RunningCli, signal: NodeJS.Signals): Promise<string> => {
    const timer = setTimeout(() => events.destroy(), 60_000);
    try {
      for await (const line of lines(events)) {
        const event = JSON.parse(line) as {
          id: string;
          Actor?: { Attributes?: Record<string, string> };
        };
        if (!ownedBy(event.Actor?.Attributes?.[ownerLabel], run.pid)) continue;
        process.kill(run.pid, signal);
        return event.id;
      }
    } finally {
      clearTimeout(timer);
      events.destroy();
    }
    throw new Error(`no fill container of pid ${run.pid} within 60 s`);
  };
  return { of };
}

/** The engine's event stream, one JSON object per line. */
async function* lines(stream: NodeJS.ReadableStream): AsyncGenerator<string> {
  let rest = "";
  for await (const chunk of stream) {
    rest += String(chunk);
    let newline: number;
    while ((newline = rest.indexOf("\n")) >= 0) {
      const line = rest.slice(0, newline).trim();
      rest = rest.slice(newline + 1);
      if (line) yield line;
    }
  }
}

function ownedBy(owner: string | undefined, pid: number): boolean {
  return (owner ?? "").split("/")[1] === String(pid);
}

async function volumesOwnedBy(pid: number): Promise<string[]> {
  const { Volumes } = await docker.listVolumes({
    filters: { label: ["io.restager.kind=dependency"] },
  });
  return (Volumes ?? [])
    .filter((v) => ownedBy(v.Labels?.[ownerLabel], pid))
    .filter((v) => v.Labels?.["io.restager.completes"] === undefined)
    .map((v) => v.Name);
}

async function isComplete(volume: string): Promise<boolean> {
  return docker
    .getVolume(`${volume}-complete`)
    .inspect()
    .then(
      () => true,
      () => false,
    );
}

async function containerExists(id: string): Promise<boolean> {
  return docker
    .getContainer(id)
    .inspect()
    .then(
      () => true,
      () => false,
    );
}

async function runTempDirs(e2e: E2eCase, pid: number): Promise<string[]> {
  const names = await readdir(e2e.tmpDir);
  return names.filter((name) => name.split("_")[2] === String(pid));
}
