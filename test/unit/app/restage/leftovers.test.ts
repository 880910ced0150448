import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { VolumeInfo, VolumeUser } from "../../../../src/container/container.js";
import type { FoundContainer } from "../../../../src/container/docker-runtime.js";
import { currentOwner, formatOwner } from "../../../../src/owner/run-owner.js";
import {
  reapLeftovers,
  surveyLeftovers,
  type LeftoverRuntime,
} from "../../../../src/app/restage/leftovers.js";

const me = currentOwner();
const dead = { ...me, pid: spawnSync(process.execPath, ["-e", "0"]).pid ?? 1 };
const old = new Date(Date.now() - 3600_000);

function container(id: string, state: string, labels: Record<string, string>): FoundContainer {
  return {
    id: id.padEnd(64, "0"),
    name: `name-${id}`,
    state,
    createdAt: old,
    labels: { "io.restager.managed": "true", "io.restager.app-name": "node-env", ...labels },
  };
}

const staging = { "io.restager.kind": "staging" };
const fill = { "io.restager.kind": "dependency-fill", "io.restager.fill-token": "t-dead" };
const ownedBy = (owner: typeof me) => ({ "io.restager.owner": formatOwner(owner) });

function volume(name: string, labels: Record<string, string>): VolumeInfo {
  return { name, createdAt: old, labels: { "io.restager.kind": "dependency", ...labels } };
}

function fakeRuntime(found: FoundContainer[], volumes: VolumeInfo[]) {
  const removed: string[] = [];
  const runtime = {
    findContainers: () => Promise.resolve(found),
    attach: (id: string) => ({ remove: () => Promise.resolve(void removed.push(id.slice(0, 2))) }),
    removeLabelled: () => Promise.resolve(0),
    volumes: {
      list: () => Promise.resolve(volumes),
      inspect: () => Promise.resolve(undefined),
      create: () => Promise.reject(new Error("not here")),
      remove: (name: string) => Promise.resolve(removed.push(name) > 0),
      users: (name: string): Promise<VolumeUser[]> =>
        Promise.resolve(
          name === "vol-dead"
            ? [
                {
                  id: "ff",
                  state: "created",
                  createdAt: old,
                  labels: { ...fill, ...ownedBy(dead) },
                },
              ]
            : [],
        ),
    },
  };
  return { runtime: runtime as unknown as LeftoverRuntime, removed };
}

let temp: string;
let savedTmp: string | undefined;

beforeEach(async () => {
  temp = await mkdtemp(join(tmpdir(), "leftovers-test-"));
  savedTmp = process.env["TMPDIR"];
  process.env["TMPDIR"] = temp;
  await mkdir(join(temp, `restager-run_${dead.machine}_${dead.pid}_${dead.start}_abc`));
  await mkdir(join(temp, `restager-run_${me.machine}_${me.pid}_${me.start}_def`));
  await mkdir(join(temp, "restager-run_othermachine-1_12_34_ghi"));
});

afterEach(async () => {
  if (savedTmp === undefined) delete process.env["TMPDIR"];
  else process.env["TMPDIR"] = savedTmp;
  await rm(temp, { recursive: true, force: true });
});

const world = () =>
  fakeRuntime(
    [
      container("aa", "running", { ...staging, ...ownedBy(me) }),
      container("bb", "running", { ...staging, ...ownedBy(dead) }),
      container("cc", "exited", staging),
      container("dd", "exited", { ...staging, "io.restager.keep": "true" }),
      container("ee", "running", staging),
      container("ff", "created", { ...fill, ...ownedBy(dead) }),
      container("gg", "running", { "io.restager.kind": "app" }),
    ],
    [
      volume("vol-dead", { "io.restager.fill-token": "t-dead", ...ownedBy(dead) }),
      volume("vol-live", { "io.restager.fill-token": "t-live", ...ownedBy(me) }),
      volume("vol-done", { "io.restager.fill-token": "t-done" }),
      volume("vol-done-complete", {
        "io.restager.fill-token": "t-done",
        "io.restager.completes": "vol-done",
      }),
    ],
  );

describe("surveyLeftovers", () => {
  it("says why each thing is there and marks only a dead owner's things (or stopped ones) stale", async () => {
    const found = await surveyLeftovers(world().runtime);
    const rows = found.map((l) => [l.kind, l.name.replace(temp, "$TMP"), l.stale, l.why]);
    // Temp directories come in directory order: compare them as a set.
    const byText = (a: unknown[], b: unknown[]) =>
      JSON.stringify(a).localeCompare(JSON.stringify(b));
    expect(rows.slice(0, 8)).toEqual(expected.slice(0, 8));
    expect(rows.slice(8).sort(byText)).toEqual(expected.slice(8).sort(byText));
  });
});

const expected = (() => [
  [
    "staging container",
    "name-aa (aa0000000000)",
    false,
    `in use by the restage running as pid ${me.pid}`,
  ],
  [
    "staging container",
    "name-bb (bb0000000000)",
    true,
    `running; its restage (pid ${dead.pid}) is gone`,
  ],
  [
    "staging container",
    "name-cc (cc0000000000)",
    true,
    "exited: the engine stopped or restarted under its restage",
  ],
  [
    "staging container",
    "name-dd (dd0000000000)",
    false,
    "kept with --keep (exited); remove it with docker rm -f",
  ],
  [
    "staging container",
    "name-ee (ee0000000000)",
    false,
    "running; no owner recorded (made by an older restager)",
  ],
  [
    "fill container",
    "name-ff (ff0000000000)",
    true,
    `created; its restage (pid ${dead.pid}) is gone`,
  ],
  ["dependency volume", "vol-dead", true, `half-filled; its restage (pid ${dead.pid}) is gone`],
  ["dependency volume", "vol-live", false, `being filled by the restage running as pid ${me.pid}`],
  [
    "temp directory",
    `$TMP/restager-run_${dead.machine}_${dead.pid}_${dead.start}_abc`,
    true,
    `its restage (pid ${dead.pid}) is gone`,
  ],
  [
    "temp directory",
    `$TMP/restager-run_${me.machine}_${me.pid}_${me.start}_def`,
    false,
    `in use by the restage running as pid ${me.pid}`,
  ],
  [
    "temp directory",
    "$TMP/restager-run_othermachine-1_12_34_ghi",
    false,
    "in use by a restage running elsewhere (another machine or container)",
  ],
])();

describe("reapLeftovers", () => {
  it("removes the stale ones, containers before volumes, and says so in one line", async () => {
    const { runtime, removed } = world();
    const lines: string[] = [];
    await reapLeftovers(runtime, { info: (line) => lines.push(line), debug: () => undefined });
    expect(removed).toEqual(["bb", "cc", "ff", "vol-dead"]);
    expect(await readdir(temp)).toHaveLength(2);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^Removed what restages that are gone left behind: staging container name-bb \(bb0000000000\) of node-env, .*, dependency volume vol-dead, temp directory \S+_abc$/,
    );
  });
});
