import { spawnSync } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runRestage, type RestageEvent, type RestageRunOptions } from "../../../src/app/restage.js";
import { restageTarget } from "../../../src/app/restage/restage-target.js";
import { CallbackRefusedError } from "../../../src/callback/send-callback.js";
import type { ImageStore } from "../../../src/container/image-store.js";
import { parseRequest } from "../../../src/diego/parse/parse-request.js";
import type { TaskRequest } from "../../../src/diego/task-definition.js";
import { engineUnreachable } from "../../../src/container/docker-errors.js";
import { CancelledError, ExitCode, type UnavailableError } from "../../../src/errors.js";
import type { Uploader } from "../../../src/http/ports.js";
import { noTlsSettings } from "../../../src/http/tls-settings.js";
import { currentOwner, formatOwner } from "../../../src/owner/run-owner.js";
import { asRestageRuntime, FakeContainerRuntime } from "../../kit/fake-container-runtime.js";
import { FakeArchives, FakeDownloader, FakeUploader } from "../../kit/fake-ports.js";
import { RecordingProgress } from "../../kit/recording-progress.js";
import { RecordingTaskLog } from "../../kit/recording-task-log.js";

const lifecycleUrl = "http://file-server.internal/v1/static/buildpack_app_lifecycle.tgz";

function task(callbackUrl = ""): TaskRequest {
  const vcap = JSON.stringify({ application_id: "app-guid", application_name: "my-app" });
  const upload = (artifact: string, from: string) => ({
    upload: { artifact, from, to: `http://cc-uploader.internal/${artifact}`, user: "vcap" },
  });
  return parseRequest(
    {
      task_guid: "app-guid-staging",
      domain: "cf-app-staging",
      task_definition: {
        rootfs: "preloaded:cflinuxfs4",
        log_guid: "app-guid",
        completion_callback_url: callbackUrl,
        action: {
          serial: {
            actions: [
              {
                download: {
                  from: lifecycleUrl,
                  to: "/tmp/lifecycle",
                  cache_key: "lc",
                  user: "vcap",
                },
              },
              {
                run: {
                  path: "/tmp/lifecycle/builder",
                  user: "vcap",
                  env: [{ name: "VCAP_APPLICATION", value: vcap }],
                },
              },
              upload("droplet", "/tmp/droplet"),
              upload("build artifacts cache", "/tmp/output-cache"),
            ],
          },
        },
      },
    },
    "task",
  ).value as TaskRequest;
}

/** What `--no-upload` wires: an uploader that sends nothing. */
const skippingUploader: Uploader = {
  upload: () => Promise.resolve({ status: 0, attempts: 0, skipped: true }),
};

/** An image store whose stack image lookup fails with `error` (the image build's first call). */
function failingImages(error: Error): ImageStore & { asked: string[] } {
  const asked: string[] = [];
  const fail = (ref: string) => {
    asked.push(ref);
    return Promise.reject(error);
  };
  return {
    asked,
    inspect: fail,
    exportImage: fail,
    load: () => Promise.reject(error),
    tag: fail,
    push: fail,
    pull: fail,
  } as unknown as ImageStore & { asked: string[] };
}

interface World {
  runtime: FakeContainerRuntime;
  downloader: FakeDownloader;
  uploader: FakeUploader;
  progress: RecordingProgress;
  taskLog: RecordingTaskLog;
  events: RestageEvent[];
}

let dir: string;
let cwd: string;
let tmpBefore: string | undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "restage-use-case-"));
  cwd = process.cwd();
  process.chdir(dir);
  // The run's temp directory and the leftover survey look here only.
  tmpBefore = process.env["TMPDIR"];
  process.env["TMPDIR"] = dir;
});

afterEach(async () => {
  process.chdir(cwd);
  if (tmpBefore === undefined) delete process.env["TMPDIR"];
  else process.env["TMPDIR"] = tmpBefore;
  await rm(dir, { recursive: true, force: true });
});

function world(): World {
  const runtime = new FakeContainerRuntime();
  runtime.container.onExec("/tmp/lifecycle/builder", ({ io }) => {
    io.stdout(Buffer.from("-----> Building my-app\n"));
    return 0;
  });
  runtime.container.setArchive("/tmp/droplet", [
    { path: "droplet", type: "File", content: Buffer.from("droplet bytes") },
  ]);
  runtime.container.setArchive("/tmp/output-cache", [
    { path: "output-cache", type: "File", content: Buffer.from("cache bytes") },
  ]);
  const downloader = new FakeDownloader();
  downloader.serve(lifecycleUrl, {
    entries: [{ path: "builder", type: "File", content: Buffer.from("#!/bin/sh") }],
  });
  return {
    runtime,
    downloader,
    uploader: new FakeUploader(),
    progress: new RecordingProgress(),
    taskLog: new RecordingTaskLog("STG"),
    events: [],
  };
}

function options(overrides: Partial<RestageRunOptions> = {}): RestageRunOptions {
  return {
    request: task(),
    stackImage: "restager/cflinuxfs4:latest",
    keepContainer: false,
    upload: true,
    buildImage: false,
    callback: false,
    resolve: [],
    tls: noTlsSettings,
    publishing: {},
    env: {},
    signal: new AbortController().signal,
    ...overrides,
  };
}

function run(
  w: World,
  opts: RestageRunOptions,
  extra: { uploader?: Uploader; images?: ImageStore } = {},
) {
  return runRestage(opts, {
    runtime: asRestageRuntime(w.runtime),
    downloader: w.downloader,
    uploader: extra.uploader ?? w.uploader,
    archives: new FakeArchives(),
    images: extra.images ?? failingImages(new Error("no image store in this test")),
    taskLog: w.taskLog,
    progress: w.progress,
    onEvent: (event) => w.events.push(event),
  });
}

describe("runRestage", () => {
  it("keeps what was not uploaded in ./restager-out/<app> and reports the task's output", async () => {
    const w = world();
    const report = await run(w, options({ upload: false }), { uploader: skippingUploader });
    expect(report.outcome.failed).toBe(false);
    expect(report.app).toEqual({ guid: "app-guid", name: "my-app" });
    const kept = report.outcome.artifacts.map((a) => [a.artifact, a.uploaded, a.path]);
    expect(kept).toEqual([
      ["droplet", false, join("restager-out", "my-app", "droplet.tgz")],
      ["build artifacts cache", false, join("restager-out", "my-app", "build-artifacts-cache.tgz")],
    ]);
    expect((await stat(join(dir, "restager-out", "my-app", "droplet.tgz"))).size).toBe(13);
    expect(report.outputTail).toContain("[STG] -----> Building my-app");
    expect(w.progress.phases).toContain("my-app: creating container");
    expect(report.image).toBeUndefined();
    expect(report.error).toBeUndefined();
  });

  it("keeps only the droplet of an uploaded run when an image is built from it", async () => {
    const w = world();
    const images = failingImages(new Error("the engine has no stack image"));
    const report = await run(w, options({ buildImage: true }), { images });
    expect(w.uploader.uploads.map((u) => u.url)).toEqual([
      "http://cc-uploader.internal/droplet",
      "http://cc-uploader.internal/build artifacts cache",
    ]);
    const droplet = join("restager-out", "my-app", "droplet.tgz");
    expect(report.outcome.artifacts.map((a) => [a.artifact, a.uploaded, a.path])).toEqual([
      ["droplet", true, droplet],
      ["build artifacts cache", true, undefined],
    ]);
    // The image failed: handed back (reported once, by the caller) with the kept droplet.
    expect(images.asked).toEqual(["restager/cflinuxfs4:latest"]);
    expect(report.error?.message).toBe("the engine has no stack image");
    expect(report.keptDroplet).toBe(droplet);
    expect(report.image).toBeUndefined();
    expect(w.progress.lines).toEqual([]);
  });

  it("removes the staging container while the image is built, and returns once it is gone", async () => {
    const w = world();
    let imageAsked!: () => void;
    // The removal finishes only once the image build has started: awaited first, it would hang.
    w.runtime.container.removal = new Promise((resolve) => (imageAsked = resolve));
    const images = failingImages(new Error("the engine has no stack image"));
    const inspect = images.inspect.bind(images);
    images.inspect = (ref: string) => {
      expect(w.runtime.container.removed).toBe(false);
      imageAsked();
      return inspect(ref);
    };
    const report = await run(w, options({ buildImage: true }), { images });
    expect(images.asked).toEqual(["restager/cflinuxfs4:latest"]);
    expect(w.runtime.container.removed).toBe(true);
    expect(report.outcome.failed).toBe(false);
  });

  it("raises a failed removal of the staging container once the run is over", async () => {
    const w = world();
    const refused = Promise.reject(new Error("the engine refused the removal"));
    refused.catch(() => undefined);
    w.runtime.container.removal = refused;
    await expect(run(w, options())).rejects.toThrow("the engine refused the removal");
  });

  it("keeps nothing uploaded with --no-image, and builds no image", async () => {
    const w = world();
    const images = failingImages(new Error("not asked"));
    const report = await run(w, options({ buildImage: false }), { images });
    expect(report.outcome.artifacts.map((a) => a.path)).toEqual([undefined, undefined]);
    expect(images.asked).toEqual([]);
    expect(await readdir(dir)).not.toContain("restager-out");
  });

  it("names no kept droplet when the image was cancelled", async () => {
    const w = world();
    const images = failingImages(new CancelledError("Interrupted by SIGINT"));
    const report = await run(w, options({ buildImage: true }), { images });
    expect(report.error).toBeInstanceOf(CancelledError);
    expect(report.keptDroplet).toBeUndefined();
  });

  it("skips the image of a failed task", async () => {
    const w = world();
    w.runtime.container.onExec("/tmp/lifecycle/builder", () => 223);
    const images = failingImages(new Error("not asked"));
    const report = await run(w, options({ buildImage: true }), { images });
    expect(report.outcome.failed).toBe(true);
    expect(report.outcome.failureReason).toMatch(/Exited with status 223$/);
    expect(images.asked).toEqual([]);
    expect(report.error).toBeUndefined();
  });

  it("ends with the engine's error when the task failed because the engine went away", async () => {
    const w = world();
    const gone = engineUnreachable("unix:///run/gone.sock", new Error("connect ECONNREFUSED"));
    // An engine that shuts down kills the staging container's processes first.
    w.runtime.container.onExec("/tmp/lifecycle/builder", () => {
      w.runtime.pingError = gone;
      return 137;
    });
    const error = await run(w, options()).catch((e: unknown) => e);
    expect(error).toBe(gone);
    expect((error as UnavailableError).exitCode).toBe(ExitCode.unavailable);
    expect(w.uploader.uploads).toEqual([]);
  });

  it("warns instead of building when the task produced no droplet", async () => {
    const w = world();
    const request = task();
    const action = request.definition.action;
    if (action.kind === "serial") action.actions.splice(2, 2);
    const report = await run(w, options({ request, buildImage: true }));
    expect(report.error).toBeUndefined();
    expect(w.progress.lines).toEqual([
      {
        level: "warn",
        text: "The task produced no droplet, so no image was built (--no-image skips this)",
      },
    ]);
  });

  it("names the removed container and the signal's exit code when interrupted", async () => {
    const w = world();
    const controller = new AbortController();
    w.runtime.container.onExec("/tmp/lifecycle/builder", ({ signal }) => {
      controller.abort(new CancelledError("Interrupted by SIGTERM", { signal: "SIGTERM" }));
      return new Promise((resolve) => signal.addEventListener("abort", () => resolve(143)));
    });
    const error = await run(w, options({ signal: controller.signal })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CancelledError);
    expect((error as CancelledError).message).toBe(
      "Interrupted by SIGTERM; removed container fake-contain",
    );
    expect((error as CancelledError).exitCode).toBe(ExitCode.terminated);
    expect(w.events).toContainEqual({ type: "container-created", id: "fake-container" });
  });

  it("sweeps what gone restages left, and works in a temp directory it removes", async () => {
    const w = world();
    const dead = { ...currentOwner(), pid: spawnSync(process.execPath, ["-e", "0"]).pid ?? 1 };
    w.runtime.found = [
      {
        id: "c0ffee".padEnd(64, "0"),
        name: "restager-staging-old",
        state: "running",
        createdAt: new Date(Date.now() - 3600_000),
        labels: {
          "io.restager.managed": "true",
          "io.restager.kind": "staging",
          "io.restager.app-name": "old-app",
          "io.restager.owner": formatOwner(dead),
        },
      },
    ];
    await run(w, options());
    expect(w.runtime.removedLeftovers).toEqual(["c0ffee".padEnd(64, "0")]);
    expect(w.progress.lines).toEqual([
      {
        level: "info",
        text: "Removed what restages that are gone left behind: staging container restager-staging-old (c0ffee000000) of old-app",
      },
    ]);
    const temp = w.events.find((e) => e.type === "temp-dir");
    expect(temp?.type === "temp-dir" && temp.path.startsWith(join(dir, "restager-run_"))).toBe(
      true,
    );
    expect((await readdir(dir)).filter((name) => name.startsWith("restager-run_"))).toEqual([]);
    expect(process.env["TMPDIR"]).toBe(dir);
  });

  describe("--callback", () => {
    let server: Server;
    let answer = 200;

    beforeEach(async () => {
      server = createServer((req, res) => {
        req.resume();
        req.on("end", () => res.writeHead(answer).end());
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    });

    afterEach(async () => {
      await new Promise((resolve) => server.close(resolve));
    });

    const url = () =>
      `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/staging/x/completed`;

    it("tells the callback's answer as an event", async () => {
      answer = 200;
      const w = world();
      await run(w, options({ request: task(url()), callback: true }));
      expect(w.events).toContainEqual({
        type: "callback-sent",
        state: "succeeded",
        url: url(),
        status: 200,
        attempts: 1,
      });
    });

    it("hands a refused callback back to be reported once, printing nothing itself", async () => {
      answer = 400;
      const w = world();
      const images = failingImages(new Error("not asked"));
      const report = await run(w, options({ request: task(url()), callback: true }), { images });
      expect(report.error).toBeInstanceOf(CallbackRefusedError);
      expect(report.error?.message).toMatch(/answered HTTP 400 after 1 attempt$/);
      expect(w.progress.lines).toEqual([]);
      expect(w.events.filter((e) => e.type === "callback-sent")).toEqual([]);
    });

    it("warns when the task has no callback URL", async () => {
      const w = world();
      await run(w, options({ callback: true }));
      expect(w.progress.lines).toEqual([
        { level: "warn", text: "The task has no completion_callback_url: no callback was sent" },
      ]);
    });
  });
});

describe("restageTarget", () => {
  it("applies --memory and maps the stack to its image", () => {
    const target = restageTarget({
      request: task(),
      memoryMb: 2048,
      stacks: new Map([["cflinuxfs4", "my/stack:1"]]),
    });
    expect(target.request.definition.memoryMb).toBe(2048);
    expect(target.stackImage).toBe("my/stack:1");
    expect(restageTarget({ request: task(), stacks: new Map() }).stackImage).toBe(
      "restager/cflinuxfs4:latest",
    );
  });
});
