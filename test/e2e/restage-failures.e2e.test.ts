/**
 * `restage` when staging fails: the builder's exit statuses (222/223/224), a checksum
 * mismatch, a missing stack image and malformed input. The user must get the documented exit
 * code, the reason, the builder's last lines and a hint, and never a stack trace or a signed URL.
 */
import { describe, expect, it } from "vitest";
import { runCli } from "../kit/e2e/cli.js";
import { useE2eCase } from "../kit/e2e/e2e-case.js";
import {
  expectExit,
  expectNoSecrets,
  expectNoStackTrace,
  urlSecrets,
} from "../kit/e2e/expectations.js";

describe("restage failures", () => {
  const current = useE2eCase();

  it("exits 222 when no buildpack detects the app, with the builder's last lines", async () => {
    const e2e = current();
    const world = await e2e.world({ buildpacks: ["never"] });
    const run = await e2e.restageFromLog(world);
    expectExit(run, 222);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/^Staging failed: STG: Exited with status 222$/m);
    expect(run.stderr).toMatch(
      /^ {2}The builder exited with 222: no buildpack detected the app\.$/m,
    );
    expect(lastOutput(run.stderr)).toContain(
      "[STG] None of the buildpacks detected a compatible application",
    );
    expect(run.stderr).toMatch(/^Hint: .*restager explain/m);
    expect(world.cf.requestsTo("ccUploader")).toEqual([]);
    expect(world.cf.uploadedDroplets()).toEqual([]);
    expectNoStackTrace(run);
  });

  it("exits 223 when a buildpack's compile fails, showing the buildpack's error", async () => {
    const e2e = current();
    const world = await e2e.world({ buildpacks: ["broken-compile"] });
    const run = await e2e.restage([world.taskFile]);
    expectExit(run, 223);
    expect(run.stderr).toContain("The builder exited with 223: a buildpack failed to compile");
    const tail = lastOutput(run.stderr);
    expect(tail).toContain("[STG] ERROR: compilation failed on purpose (restager fixture)");
    expect(tail).toContain("[STG] Failed to compile droplet: exit status 1");
    expect(world.cf.uploadedDroplets()).toEqual([]);
  });

  it("exits 224 when a buildpack's release fails", async () => {
    const e2e = current();
    const world = await e2e.world({ buildpacks: ["broken-release"] });
    const run = await e2e.restage([world.taskFile]);
    expectExit(run, 224);
    expect(run.stderr).toContain("The builder exited with 224: a buildpack's release step failed");
    expect(lastOutput(run.stderr)).toContain(
      "[STG] Failed to build droplet release: exit status 1",
    );
    expect(world.cf.uploadedDroplets()).toEqual([]);
  });

  it("fails the task (exit 1) on a buildpack checksum mismatch, without retrying", async () => {
    const e2e = current();
    const world = await e2e.world({
      style: "cc-2024",
      buildpacks: ["static"],
      wrongBuildpackSha256: true,
    });
    const run = await e2e.restage([world.taskFile]);
    expectExit(run, 1);
    // A cached dependency: the executor's line on stdout, its reason for the task.
    expect(run.stderr).toContain("[STG] OUT Downloading static_buildpack failed");
    expect(run.stderr).not.toContain("[STG] ERR Downloading static_buildpack failed");
    expect(run.stderr).toMatch(/^Staging failed: failed to download cached artifacts$/m);
    expect(run.stderr).toMatch(/Checksum failed: expected sha256 0{64}, got [0-9a-f]{64}/);
    expect(run.stderr).toMatch(/^Hint: The server sent different bytes/m);
    expect(world.cf.requestsTo("blobstore", "/read/cc-buildpacks/")).toHaveLength(1);
    expect(world.cf.requestsTo("blobstore", "/read/cc-packages/")).toEqual([]);
    expectNoSecrets(run, urlSecrets(world.task, { signatures: true }));
    expectNoStackTrace(run);
  });

  it("exits 66 naming setup-machine.sh and --stack when the stack image is missing", async () => {
    const e2e = current();
    const world = await e2e.world();
    const run = await e2e.restage([
      world.taskFile,
      "--stack",
      "cflinuxfs4=restager/does-not-exist:1",
    ]);
    expectExit(run, 66);
    expect(run.stderr).toContain("restager/does-not-exist:1");
    expect(run.stderr).toMatch(/^Hint: .*setup-machine\.sh.*--stack/m);
    expect(world.cf.requests).toEqual([]);
    expectNoStackTrace(run);
  });

  it("exits 65 on a malformed request, naming the JSON path, without a stack trace", async () => {
    const e2e = current();
    const run = await runCli("restage", [], e2e.cliOptions({ input: '{"action":{"bogus":{}}}' }));
    expectExit(run, 65);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/^Error: .*invalid/m);
    expect(run.stderr).toMatch(/^ {2}action: unknown action type "bogus"/m);
    expectNoStackTrace(run);
  });

  it("exits 65 on input that is not JSON at all, pointing at the position", async () => {
    const e2e = current();
    const run = await runCli("restage", [], e2e.cliOptions({ input: '{"action": {' }));
    expectExit(run, 65);
    expect(run.stderr.trim().split("\n").length).toBeLessThanOrEqual(3);
    expectNoStackTrace(run);
  });
});

/** The indented lines after `  Last output:` in a failure report. */
function lastOutput(stderr: string): string[] {
  const lines = stderr.split("\n");
  const start = lines.indexOf("  Last output:");
  if (start < 0) throw new Error(`no "Last output:" in stderr:\n${stderr}`);
  const tail: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (!line.startsWith("    ")) break;
    tail.push(line.trim());
  }
  return tail;
}
