/**
 * Repeatable options take one value per occurrence: none of them may swallow the positional
 * after it (yargs' arrays are greedy by default: `--tag my/app:1 task.json` made task.json a
 * second tag and left restage reading stdin).
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestPki } from "../../kit/test-pki.js";
import { runMain } from "../../kit/run-main.js";
import { requestFixturePath } from "../../kit/fixture-files.js";

const task = requestFixturePath("task-cc-2024.json");

const run = (argv: string[]) => runMain(argv);

describe("repeatable options never swallow a positional", { timeout: 30_000 }, () => {
  let dir: string;
  let ca: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "restager-repeatable-"));
    ca = join(dir, "ca.crt");
    await writeFile(ca, (await createTestPki([])).ca.certPem);
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each([
    [["--tag", "my/app:1"], "  app image   my/app:1 after a successful staging"],
    [["--stack", "cflinuxfs4=my/stack:1"], "  image       my/stack:1"],
    [
      ["--resolve", "a.service.cf.internal=10.0.0.1"],
      "  resolve     a.service.cf.internal=10.0.0.1",
    ],
    [["--cacert", "CA"], "  tls         system CAs + --cacert CA; no client certificate"],
  ])("restage %j FILE --dry-run reads FILE", async (option, line) => {
    const args = option.map((value) => (value === "CA" ? ca : value));
    line = line.replace("--cacert CA", `--cacert ${ca}`);
    const result = await run(["restage", ...args, task, "--dry-run"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout.split("\n")).toContain(line);
  });

  it.each([
    ["--env", "A=1"],
    ["-e", "A=1"],
    ["--publish", "8080:8080"],
    ["--label", "a=b"],
    ["--env-file", "x.env"],
  ])("launch %s %s FILE reads FILE", async (flag, value) => {
    const missing = join(dir, "missing-lrp.json");
    const result = await run(["launch", flag, value, missing]);
    expect(result.code).toBe(66);
    expect(result.stderr).toContain(missing);
  });

  it("build-req --log FILE EXTRA refuses EXTRA instead of reading it as a log", async () => {
    const result = await run(["build-req", "--log", task, "extra.log"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^Error: Unknown argument: extra\.log$/m);
  });

  it("image --tag NAME EXTRA refuses EXTRA", async () => {
    const result = await run([
      "image",
      "--droplet",
      "d",
      "--lifecycle",
      "l",
      "--stack",
      "s",
      "--tag",
      "a:1",
      "b:2",
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^Error: Unknown argument: b:2$/m);
  });

  it("still collects every occurrence, and a missing value is a usage error (exit 2)", async () => {
    const both = await run(["restage", "--tag", "a/b:1", "--tag", "c/d:2", task, "--dry-run"]);
    expect(both.stdout).toContain("app image   a/b:1, c/d:2");
    const missing = await run(["restage", task, "--dry-run", "--cacert"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(
      "Error: Not enough arguments following: cacert\nHint: Run 'restager <command> --help' for the options\n",
    );
  });
});
