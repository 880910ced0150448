/**
 * restage() against the real engine, with cached dependencies served from loopback: read-only
 * volumes filled once and reused, refills of incomplete volumes, concurrent restages, the
 * copy-in fallback, failures, and no MaxListenersExceededWarning with many dependencies.
 */
import { createHash, randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { gunzipSync, gzipSync } from "node:zlib";
import { Header } from "tar";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { TarArchives } from "../../../src/archive/tar-archives.js";
import type { ContainerRuntime } from "../../../src/container/container.js";
import { DockerRuntime } from "../../../src/container/docker-runtime.js";
import { parseRequest } from "../../../src/diego/parse/parse-request.js";
import type { TaskRequest } from "../../../src/diego/task-definition.js";
import { UnavailableError } from "../../../src/errors.js";
import { CachedDownloader } from "../../../src/http/cached-downloader.js";
import { assertNoLeakedContainers, TEST_RUN_LABEL } from "../../kit/docker-leaks.js";
import { RecordingTaskLog } from "../../kit/recording-task-log.js";
import {
  dependencyVolumeName,
  markerVolumeName,
} from "../../../src/restage/dependency-volume-name.js";
import { restage, type RestageDeps } from "../../../src/restage/restage.js";
import { listenOnLoopback, closeServer } from "../../kit/loopback-server.js";

const image = "restager/stack:bookworm";
const runId = `restage-${randomUUID()}`;
const runtime = new DockerRuntime();
const bodies = new Map<string, Buffer>();
const volumes: string[] = [];
const dirs: string[] = [];
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const body = bodies.get(req.url ?? "");
    if (!body) return void res.writeHead(404).end();
    const etag = `"${sha256(body)}"`;
    if (req.headers["if-none-match"] === etag) return void res.writeHead(304).end();
    res.writeHead(200, { etag, "content-length": body.length }).end(body);
  });
  base = await listenOnLoopback(server);
});

afterAll(async () => {
  await closeServer(server);
});

afterEach(async () => {
  for (const name of volumes.splice(0)) {
    await runtime.volumes.remove(name);
    await runtime.volumes.remove(markerVolumeName(name));
  }
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  await assertNoLeakedContainers(TEST_RUN_LABEL, runId);
});

function sha256(bytes: Buffer): string {
  return createHash("sha256").update(bytes).digest("hex");
}

function tgz(files: Record<string, string>): Buffer {
  const blocks: Buffer[] = [];
  for (const [path, content] of Object.entries(files)) {
    const body = Buffer.from(content);
    const block = Buffer.alloc(512);
    new Header({ path, type: "File", mode: 0o644, size: body.length, mtime: new Date(0) }).encode(
      block,
    );
    blocks.push(block, body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  return gzipSync(Buffer.concat([...blocks, Buffer.alloc(1024)]));
}

interface Dep {
  name: string;
  to: string;
  body: Buffer;
  cacheKey: string;
}

/** A dependency served at a fresh path; its volume is removed after the test. */
function dependency(name: string, files: Record<string, string>, to = `/tmp/deps/${name}`): Dep {
  const body = tgz(files);
  const cacheKey = `${name}-${randomUUID()}`;
  bodies.set(`/${cacheKey}`, body);
  volumes.push(dependencyVolumeName(cacheKey, sha256(body)));
  return { name, to, body, cacheKey };
}

function task(deps: Dep[], script: string): TaskRequest {
  const json = {
    rootfs: "preloaded:cflinuxfs4",
    log_guid: "restage-docker-test",
    log_source: "STG",
    memory_mb: 256,
    result_file: "/tmp/result.json",
    cached_dependencies: deps.map((d) => ({
      name: d.name,
      from: `${base}/${d.cacheKey}`,
      to: d.to,
      cache_key: d.cacheKey,
    })),
    action: {
      run: {
        path: "/bin/sh",
        args: ["-c", `${script}; echo '{}' > /tmp/result.json`],
        user: "root",
      },
    },
  };
  return parseRequest(json, "task").value as TaskRequest;
}

interface RunOptions {
  cacheDir?: string;
  runtime?: ContainerRuntime;
  volumeTiming?: RestageDeps["volumeTiming"];
}

async function run(request: TaskRequest, options: RunOptions = {}) {
  const cacheDir = options.cacheDir ?? (await newDir());
  const downloader = new CachedDownloader({ cacheDir });
  const log = new RecordingTaskLog("STG");
  const events: string[] = [];
  const logger = {
    debug: (event: string, data?: Record<string, unknown>) =>
      void events.push(`${event} ${JSON.stringify(data ?? {})}`),
  };
  try {
    const outcome = await restage(
      {
        request,
        image,
        runId: randomUUID(),
        labels: { [TEST_RUN_LABEL]: runId },
        keepContainer: false,
        outputDir: join(cacheDir, "out"),
        keepArtifacts: false,
        signal: new AbortController().signal,
      },
      {
        runtime: options.runtime ?? runtime,
        downloader,
        uploader: { upload: () => Promise.reject(new Error("no uploads here")) },
        archives: new TarArchives(),
        taskLog: log,
        logger,
        settings: { gracePeriodMs: 1000, exitTimeoutMs: 1000 },
        volumeTiming: options.volumeTiming,
      },
    );
    return {
      outcome,
      log,
      events,
      fills: events.filter((e) => e.startsWith("dependency-volumes-filled")),
    };
  } finally {
    await downloader.close();
  }
}

async function newDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "restager-restage-test-"));
  dirs.push(dir);
  return dir;
}

/** Puts a junk file into a new volume `name` (an interrupted fill: no marker). */
async function halfFilled(name: string): Promise<void> {
  await runtime.volumes.create(name, { "io.restager.kind": "dependency" });
  const filler = await runtime.createUnstarted({
    image,
    env: [],
    labels: { [TEST_RUN_LABEL]: runId },
    volumes: [{ name, target: "/fill", readOnly: false }],
  });
  try {
    await filler.putArchive("/", Readable.from([gunzipSync(tgz({ "fill/junk.txt": "half" }))]));
  } finally {
    await filler.remove();
  }
}

const check =
  "cat /tmp/deps/a/hello.txt; ls /tmp/deps/a; touch /tmp/deps/a/new 2>/dev/null || echo READ-ONLY";

describe("restage with cached dependencies", () => {
  it("fills each dependency's volume once, mounts it read-only, and reuses it", async () => {
    const a = dependency("a", { "hello.txt": "hello from a\n" });
    const b = dependency("b", { "bin/detect": "#!/bin/sh\n" });
    const request = task([a, b], check);
    const cacheDir = await newDir();
    const first = await run(request, { cacheDir });
    expect(first.outcome.failed, first.outcome.failureReason).toBe(false);
    expect(first.fills).toHaveLength(1);
    const out = first.log.lines("out");
    expect(out).toEqual(
      expect.arrayContaining([
        "Downloading a...",
        `Downloaded a (${a.body.length}B)`,
        "hello from a",
        "hello.txt",
        "READ-ONLY",
      ]),
    );
    expect(out).not.toContain("new");

    const second = await run(request, { cacheDir });
    expect(second.outcome.failed).toBe(false);
    expect(second.fills).toEqual([]);
    expect(second.log.lines("out")).toEqual(
      expect.arrayContaining(["Downloaded a", "Downloaded b", "hello from a", "READ-ONLY"]),
    );
  });

  it("refills a volume left incomplete (no marker) by an interrupted fill", async () => {
    const a = dependency("a", { "hello.txt": "fresh\n" });
    const name = dependencyVolumeName(a.cacheKey, sha256(a.body));
    await halfFilled(name);
    const result = await run(task([a], check), { volumeTiming: { claimGraceMs: 0 } });
    expect(result.outcome.failed, result.outcome.failureReason).toBe(false);
    expect(result.fills).toEqual([`dependency-volumes-filled {"volumes":["${name}"]}`]);
    expect(result.log.lines("out")).toEqual(expect.arrayContaining(["fresh", "hello.txt"]));
    expect(result.log.lines("out")).not.toContain("junk.txt");
  });

  it("fills once when two restages need the same dependencies at the same time", async () => {
    const a = dependency("a", { "hello.txt": "shared\n" });
    const b = dependency("b", { "other.txt": "b" });
    const request = task([a, b], check);
    const [one, two] = await Promise.all([run(request), run(request)]);
    for (const result of [one, two]) {
      expect(result.outcome.failed, result.outcome.failureReason).toBe(false);
      expect(result.log.lines("out")).toEqual(expect.arrayContaining(["shared", "READ-ONLY"]));
    }
    // Each volume is filled by exactly one of them; the other waits for its marker.
    const filled = [...one.fills, ...two.fills].flatMap(
      (event) => (JSON.parse(event.slice(event.indexOf("{"))) as { volumes: string[] }).volumes,
    );
    expect(filled.sort()).toEqual(volumes.slice(-2).sort());
  });

  it("copies dependencies in when another restage's fill does not finish in time", async () => {
    const a = dependency("a", { "hello.txt": "copied\n" });
    await halfFilled(dependencyVolumeName(a.cacheKey, sha256(a.body)));
    const timing = { claimGraceMs: 60_000, pollMs: 50, maxWaitMs: 300 };
    const result = await run(task([a], check), { volumeTiming: timing });
    expect(result.outcome.failed, result.outcome.failureReason).toBe(false);
    expect(result.outcome.durationsMs["copying cached dependencies"]).toBeTypeOf("number");
    expect(result.log.lines("out")).toEqual(
      expect.arrayContaining(["copied", `Downloaded a (${a.body.length}B)`]),
    );
  });

  it("copies dependencies in when the engine refuses volumes", async () => {
    const a = dependency("a", { "hello.txt": "no volumes\n" });
    const refusing = Object.create(runtime) as DockerRuntime;
    Object.defineProperty(refusing, "volumes", {
      value: { ...runtime.volumes, list: () => Promise.reject(new UnavailableError("no volumes")) },
    });
    const result = await run(task([a], check), { runtime: refusing });
    expect(result.outcome.failed, result.outcome.failureReason).toBe(false);
    expect(result.events.some((e) => e.startsWith("dependency-volumes-unavailable"))).toBe(true);
    expect(result.log.lines("out")).toEqual(expect.arrayContaining(["no volumes"]));
  });

  it("fails the task before creating a container when a dependency is no archive", async () => {
    const good = dependency("a", { "hello.txt": "x" });
    const bad = dependency("bad", {});
    bodies.set(`/${bad.cacheKey}`, Buffer.from("not an archive"));
    volumes.push(dependencyVolumeName(bad.cacheKey, sha256(Buffer.from("not an archive"))));
    const result = await run(task([good, bad], "true"));
    expect(result.outcome).toMatchObject({
      failed: true,
      failureReason: "failed to download cached artifacts",
    });
    expect(result.outcome.containerId).toBeUndefined();
    expect(result.log.lines("err")).toEqual([]);
    expect(result.log.lines("out")).toContain("Downloading bad failed");
    for (const name of volumes.slice(-1))
      expect(await runtime.volumes.inspect(name)).toBeUndefined();
  });

  it("prints no MaxListenersExceededWarning for a task with twelve dependencies", async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => void warnings.push(warning);
    process.on("warning", onWarning);
    try {
      const deps = Array.from({ length: 12 }, (_, i) =>
        dependency(`d${i}`, { [`f${i}`]: `${i}` }, `/tmp/deps/d${i}`),
      );
      const result = await run(task(deps, "ls /tmp/deps | wc -l"));
      expect(result.outcome.failed, result.outcome.failureReason).toBe(false);
      expect(result.log.lines("out")).toContain("12");
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.map((w) => `${w.name}: ${w.message}`)).toEqual([]);
    } finally {
      process.off("warning", onWarning);
    }
  });
});
