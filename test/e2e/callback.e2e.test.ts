/**
 * `restage --callback`: once the task ended, the TaskCallbackResponse goes to the task's
 * completion_callback_url (here the fake stager's), as BBS would post it: the result file as a
 * string on success, the failure reason on a builder failure, retried at once on 503.
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { faults } from "../kit/fake-cf/fake-cf.js";
import type { StagingWorld } from "../kit/staging-world.js";
import { useE2eCase } from "../kit/e2e/e2e-case.js";

const e2e = useE2eCase();

/** The world's task with its callback host renamed, so only --resolve can reach it. */
async function taskWithInternalCallbackHost(
  world: StagingWorld,
): Promise<{ file: string; resolve: string }> {
  const task = JSON.parse(await readFile(world.taskFile, "utf8")) as {
    completion_callback_url: string;
  };
  const url = new URL(task.completion_callback_url);
  const resolve = `stager.service.cf.internal:${url.port}=127.0.0.1`;
  url.hostname = "stager.service.cf.internal";
  task.completion_callback_url = url.href;
  const file = join(e2e().dir, "task-internal.json");
  await writeFile(file, JSON.stringify(task));
  return { file, resolve };
}

describe("restage --callback", () => {
  it("posts the success payload, with the result file as a string, to the --resolve'd stager", async () => {
    const world = await e2e().world({ buildpacks: ["static"], app: "hello-static" });
    const { file, resolve } = await taskWithInternalCallbackHost(world);
    const run = await e2e().restage([file, "--callback", "--resolve", resolve, "--no-image"]);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toMatch(
      /^Callback \(succeeded\) to http:\/\/stager\.service\.cf\.internal:\d+\/v1\/staging\/.+\/completed: HTTP 200 after 1 attempt$/m,
    );
    const callbacks = world.cf.callbacks();
    expect(callbacks).toHaveLength(1);
    const [callback] = callbacks;
    expect(callback?.problem).toBeUndefined();
    expect(callback?.guid).toBe(world.stagingGuid);
    expect(callback?.payload).toMatchObject({
      task_guid: world.stagingGuid,
      failed: false,
      failure_reason: "",
      result: `${run.stdout.trimEnd()}\n`,
      annotation: world.task.annotation as string,
    });
    expect(JSON.parse(callback?.payload?.result ?? "")).toMatchObject({
      lifecycle_type: "buildpack",
    });
    const createdAt = callback?.payload?.created_at ?? 0;
    expect(Math.abs(createdAt / 1e6 - Date.now())).toBeLessThan(120_000);
  });

  it("posts the failure payload when the builder fails, and keeps the builder's exit code", async () => {
    const world = await e2e().world({ buildpacks: ["broken-compile"] });
    const run = await e2e().restage([world.taskFile, "--callback"]);
    expect(run.exitCode).toBe(223);
    expect(run.stderr).toMatch(/^Callback \(failed\) to .+: HTTP 200 after 1 attempt$/m);
    const [callback] = world.cf.callbacks();
    expect(callback?.problem).toBeUndefined();
    expect(callback?.payload).toMatchObject({ task_guid: world.stagingGuid, failed: true });
    expect(callback?.payload?.failure_reason).toMatch(/Exited with status 223$/);
    // The rep reads the result file after a failure too; the builder wrote one after detect.
    expect(JSON.parse(callback?.payload?.result ?? "")).toMatchObject({
      lifecycle_type: "buildpack",
      process_types: null,
    });
  });

  it("retries a 503 at once, as BBS does, and says how many attempts it took", async () => {
    const world = await e2e().world({ buildpacks: ["static"], app: "hello-static" });
    world.cf.inject({ server: "stager" }, faults.callbackStatus(503, 1));
    const run = await e2e().restage([world.taskFile, "--callback", "--no-image"]);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/^Callback \(succeeded\) to .+: HTTP 200 after 2 attempts$/m);
    expect(world.cf.callbacks().map((c) => c.status)).toEqual([503, 200]);
  });

  it("fails with exit 69 when the callback is refused, after staging and reporting", async () => {
    const world = await e2e().world({ buildpacks: ["static"], app: "hello-static" });
    world.cf.inject({ server: "stager" }, faults.callbackStatus(504, 3));
    const run = await e2e().restage([world.taskFile, "--callback", "--no-image"]);
    expect(run.exitCode).toBe(69);
    expect(run.stdout).toContain('"lifecycle_type":"buildpack"');
    expect(run.stderr).toMatch(/^Error: The completion callback to .+ was answered HTTP 504/m);
    expect(world.cf.callbacks()).toHaveLength(3);
  });
});
