/**
 * The bad-input corpus (fixtures/bad/, see its README) fed to the request readers: `restager
 * explain`, `restage --dry-run`, `launch --dry-run` and `build-req --log`. For every item: the
 * documented exit code, exactly one `Error:` line (JSON-path issue lines, a hint and scraper
 * warnings may follow), no stack trace, nothing on stdout, no file written outside the run's
 * own directories, and a peak RSS under 200 MB. Hostile archives: bad-input-archives.e2e.test.ts.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useE2eCase } from "../kit/e2e/e2e-case.js";
import { expectExit } from "../kit/e2e/expectations.js";
import {
  badDir,
  expectNothingWritten,
  expectOneError,
  measuredCli,
} from "../kit/e2e/bad-input-checks.js";
import type { Bin } from "../kit/e2e/cli.js";

interface InputCase {
  file: string;
  runs: { bin: Bin; args: string[] }[];
  exit: number;
  /** The error line, and the issue lines that must follow it. */
  error: RegExp;
  issues?: RegExp[];
}

const explainAndDryRun = [
  { bin: "restager", args: ["explain"] },
  { bin: "restage", args: ["--dry-run"] },
] satisfies InputCase["runs"];

const inputCases: InputCase[] = [
  {
    file: "requests/truncated.json",
    runs: explainAndDryRun,
    exit: 65,
    error: /is neither JSON nor lager log lines at line \d+, column \d+: unterminated string$/,
  },
  {
    file: "requests/wrong-types.json",
    runs: explainAndDryRun,
    exit: 65,
    error: /^Error: Task definition in .* is invalid \(3 problems\)$/,
    issues: [
      /^ {2}memory_mb: expected a number, got a string$/,
      /^ {2}privileged: expected a boolean, got a string$/,
      /^ {2}action\.serial\.actions\[1\]\.run\.args: expected an array, got a string$/,
    ],
  },
  {
    file: "requests/unknown-action.json",
    runs: explainAndDryRun,
    exit: 65,
    error: /is invalid \(1 problem\)$/,
    issues: [/^ {2}action\.serial\.actions\[1\]: unknown action type "teleport"/],
  },
  {
    file: "requests/missing-run-path.json",
    runs: explainAndDryRun,
    exit: 65,
    error: /is invalid \(1 problem\)$/,
    issues: [/^ {2}action\.serial\.actions\[1\]\.run\.path: missing$/],
  },
  {
    file: "requests/negative-limits.json",
    runs: explainAndDryRun,
    exit: 65,
    error: /is invalid \(4 problems\)$/,
    issues: [
      /^ {2}disk_mb: must not be negative \(got -4096\)$/,
      /^ {2}memory_mb: must not be negative \(got -1\)$/,
      /^ {2}cpu_weight: must not be negative \(got -50\)$/,
      /^ {2}action\.serial\.actions\[1\]\.run\.resource_limits\.nofile: must not be negative/,
    ],
  },
  {
    file: "requests/lrp-wrong-instances-and-ports.json",
    runs: [
      { bin: "restager", args: ["explain"] },
      { bin: "restager", args: ["launch", "--dry-run"] },
    ],
    exit: 65,
    error: /^Error: Desired LRP in .* is invalid \(2 problems\)$/,
    issues: [
      /^ {2}instances: must not be negative \(got -2\)$/,
      /^ {2}ports\[0\]: expected a port number \(0-65535\), got "8080"$/,
    ],
  },
  {
    file: "requests/garbage.bin",
    runs: explainAndDryRun,
    exit: 65,
    error: /is neither JSON nor lager log lines at line 1, column 1/,
  },
  {
    file: "requests/garbage.bin",
    runs: [{ bin: "build-req", args: ["--log"] }],
    exit: 66,
    error: /^Error: No staging task request found in .*garbage\.bin/,
  },
  {
    file: "logs/truncated-line.log",
    runs: [{ bin: "build-req", args: ["--log"] }],
    exit: 66,
    error:
      /^Error: No staging task request found .* 1 candidate line\(s\) were cut short or corrupt$/,
  },
];

describe("bad input to the request readers", () => {
  const current = useE2eCase();

  for (const item of inputCases) {
    for (const { bin, args } of item.runs) {
      it(`${bin} ${args.join(" ")} ${item.file} → exit ${item.exit}`, async () => {
        const e2e = current();
        const run = await measuredCli(e2e, bin, [...args, join(badDir, item.file)]);
        expectExit(run, item.exit);
        expectOneError(run, item.error, item.issues ?? []);
        await expectNothingWritten(e2e);
      });
    }
  }

  it("build-req --log skips a 20 MB line with a warning, in bounded memory", async () => {
    const e2e = current();
    const log = join(e2e.dir, "huge.log");
    const pad = "x".repeat(20 * 1024 * 1024);
    const line = (data: object) =>
      JSON.stringify({
        timestamp: "2018-03-20T10:15:42.345678901Z",
        source: "stager",
        message: "stager.staging-handler.staging-request.staging-task-request",
        data,
      });
    await writeFile(log, `${line({ session: "1" })}\n${line({ taskDefinition: { pad } })}\n`);
    const run = await measuredCli(e2e, "build-req", ["--log", log]);
    expectExit(run, 66);
    expect(run.stderr).toMatch(/^Warning: .*huge\.log:2: skipped a \d+-byte line/m);
    expectOneError(run, /1 line\(s\) were too long to read$/, []);
    await expectNothingWritten(e2e);
  });
});
