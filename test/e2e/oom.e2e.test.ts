/**
 * The builder's buildpack is OOM-killed: the `hungry` fixture buildpack holds 256 MB, and the
 * staging container gets 64 MB (`--memory 64`, instead of the task's memory_mb). Diego's
 * failure reason carries ` (out of memory)`; restager must also name the limit (memory_mb) and
 * say how to raise it, and the rerun with more memory must succeed.
 */
import { describe, expect, it } from "vitest";
import { useE2eCase } from "../kit/e2e/e2e-case.js";
import { expectExit, expectNoStackTrace } from "../kit/e2e/expectations.js";

describe("restage when the builder runs out of memory", () => {
  const current = useE2eCase();

  it("names memory_mb and how to raise it; with more memory the same task stages", async () => {
    const e2e = current();
    const world = await e2e.world({ buildpacks: ["hungry"] });
    const run = await e2e.restage([world.taskFile, "--memory", "64", "--no-image"]);
    expect(run.stderr).toContain("[STG] OUT        Allocating 256 MB");
    expect(run.stderr).toMatch(/^Staging failed: .*Exited with status \d+ \(out of memory\)$/m);
    expect(run.stderr).toContain(
      "  The kernel killed the builder for using more than the task's memory_mb (64 MB).",
    );
    expect(run.stderr).toMatch(/^Hint: Raise the limit: restage again with --memory 1024 /m);
    expect(run.exitCode).not.toBe(0);
    expectNoStackTrace(run);
    expect(world.cf.requestsTo("ccUploader")).toEqual([]);
    expect(await e2e.newContainers()).toEqual([]);

    const again = await e2e.restage([world.taskFile, "--memory", "1024", "--no-image"]);
    expectExit(again, 0);
    expect(again.stderr).toContain("Allocated 268435456 bytes");
  });
});
