import { createReadStream, readFileSync } from "node:fs";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { InvalidInputError, NoInputError } from "../../../../src/errors.js";
import { findLatestRequest } from "../../../../src/request-input/scrape/find-latest-request.js";
import {
  fileLogInput,
  streamLogInput,
  textLogInput,
} from "../../../../src/request-input/scrape/log-input.js";
import type { MatchOptions } from "../../../../src/request-input/scrape/matching-requests.js";
import { logFixturePath } from "../../../kit/fixture-files.js";

const fixture = logFixturePath;
const latest = (names: string[], options: MatchOptions) =>
  findLatestRequest(
    names.map((n) => fileLogInput(fixture(n))),
    options,
  );

const nodeEnv = "273b4ea1-c0b9-4a7c-bd3b-5275150cad19";
const goHello = "9a6f3c1e-2b7d-4c58-8e0f-6d4b1a2c3e5f";

describe("findLatestRequest", () => {
  it("takes the request with the latest timestamp", async () => {
    const found = await latest(["stager-bbs-2016.log"], { family: "task" });
    expect(found.meta.stagingGuid).toBe(`${nodeEnv}-b41d6f0e92c34a7f8e15d2c6a9b0e377`);
  });

  it("orders by timestamp, not by file order (the rotated file given last)", async () => {
    const found = await latest(["stager-bbs-2016.log", "stager-bbs-2016.log.1.gz"], {
      family: "task",
      app: "node-env",
    });
    expect(found.origin.source).toBe(fixture("stager-bbs-2016.log"));
    expect(found.origin.line).toBe(24);
  });

  it.each([
    ["app name", "go-hello", `${goHello}-0c5e7a9b1d3f4e6a8b2c4d6e8f0a1b2c`],
    ["app guid", nodeEnv, `${nodeEnv}-b41d6f0e92c34a7f8e15d2c6a9b0e377`],
    [
      "staging guid",
      `${nodeEnv}-7617e252827a4676a1fa71ae123ded3b`,
      `${nodeEnv}-7617e252827a4676a1fa71ae123ded3b`,
    ],
  ])("selects tasks by %s", async (_what, app, stagingGuid) => {
    const found = await latest(["stager-bbs-2016.log"], { family: "task", app });
    expect(found.meta.stagingGuid).toBe(stagingGuid);
  });

  it.each([
    ["app name", "node-env", "b2e46d4d-0d03-4615-98ef-4ba6214c86c7"],
    ["app guid (process guid prefix)", nodeEnv, "b2e46d4d-0d03-4615-98ef-4ba6214c86c7"],
    [
      "process guid",
      `${nodeEnv}-059cc28f-8f3b-4d2a-9c6e-1b7d3f5a9e20`,
      "059cc28f-8f3b-4d2a-9c6e-1b7d3f5a9e20",
    ],
    ["log guid", goHello, "7c3e5a1f-2d4b-4f6e-8a0c-9e1b3d5f7a2c"],
  ])("selects LRPs by %s", async (_what, app, version) => {
    const found = await latest(["nsync-listener-2016.log"], { family: "lrp", app });
    expect(found.meta.processGuid?.slice(37)).toBe(version);
    expect(found.kind).toBe("lrp");
  });

  it("reads a plain file from the end: without line numbers, the match has its byte offset", async () => {
    const found = await latest(["stager-bbs-2016.log"], { family: "task", lineNumbers: false });
    const counted = await latest(["stager-bbs-2016.log"], { family: "task" });
    expect(found.rawText).toBe(counted.rawText);
    expect(found.origin.line).toBe(0);
    const bytes = readFileSync(fixture("stager-bbs-2016.log"));
    const offset = found.origin.offset ?? -1;
    expect(bytes.subarray(0, offset).toString().split("\n")).toHaveLength(counted.origin.line);
  });

  it.each([
    "stager-bbs-2016.log",
    "stager-receptor-2015.log",
    "stager-rfc3339-2018.log",
    "stager-redacted.log",
    "stager-truncated.log",
    "stager-syslog.log",
    "nsync-listener-2016.log",
    "nsync-bulker-2015.log",
    "nsync-rfc3339.log",
    "bad/partial-and-text.log",
  ])("picks the same request or refusal in %s backwards as a forward read does", async (name) => {
    const path = fixture(name);
    const outcome = (found: Promise<{ rawText: string; origin: { line: number } }>) =>
      found.then(
        (request) => ({ rawText: request.rawText, line: request.origin.line }),
        (error: Error) => ({ error: error.constructor.name, message: error.message }),
      );
    for (const family of ["task", "lrp"] as const) {
      for (const app of [undefined, "node-env", "go-hello", "worker", nodeEnv, goHello]) {
        const options = { family, app };
        const backwards = await outcome(findLatestRequest([fileLogInput(path)], options));
        const stream = streamLogInput(path, createReadStream(path));
        const forward = await outcome(findLatestRequest([stream], options));
        expect(backwards, `${family} ${app ?? ""}`).toEqual(forward);
      }
    }
  });

  it("counts the lines of a stream it found nothing in (it cannot be read again)", async () => {
    const stdin = streamLogInput("stdin", Readable.from([Buffer.from("hello\nworld\n")]));
    await expect(findLatestRequest([stdin], { family: "task" })).rejects.toThrow(
      /No staging task request found in stdin \(2 lines\)/,
    );
  });

  it("reads a gzip file whole, forward, with line numbers", async () => {
    const found = await latest(["stager-bbs-2016.log.1.gz"], {
      family: "task",
      lineNumbers: false,
    });
    expect(found.origin.line).toBeGreaterThan(0);
    expect(found.origin.offset).toBeUndefined();
  });

  it("breaks timestamp ties by input order: the later line wins", async () => {
    const line = (id: string) =>
      `{"timestamp":"1465495532.000000001","source":"stager","message":"s.staging-task-request","log_level":1,"data":{"taskDefinition":{"log_guid":"${id}"}}}`;
    const found = await findLatestRequest(
      [textLogInput("t.log", `${line("first")}\n${line("second")}\n`)],
      {
        family: "task",
      },
    );
    expect(found.rawText).toBe('{"log_guid":"second"}');
    expect(found.origin).toEqual({ source: "t.log", line: 2 });
  });

  it("refuses the latest request when lager redacted it, naming file:line and the value's path", async () => {
    const error = await latest(["stager-redacted.log"], { family: "task" }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InvalidInputError);
    const { message, hint, issues } = error as InvalidInputError;
    expect(message).toContain(`${fixture("stager-redacted.log")}:3`);
    expect(message).toContain(
      "action.timeout.action.serial.actions[2].emit_progress.action.run.env[2].value",
    );
    expect(message).toContain("*REDACTED*");
    expect(hint).toMatch(/redacting and truncating sinks disabled.*cfdot task/);
    expect(issues).toHaveLength(1);
  });

  it("refuses a truncated request", async () => {
    await expect(latest(["stager-truncated.log"], { family: "task" })).rejects.toThrow(
      /stager-truncated\.log:2 cannot be replayed: action\..*env\[0\]\.value was cut by lager's truncating sink/,
    );
  });

  it("refuses a Cloud Controller staging request with a clear error", async () => {
    const error = await latest(["stager-bbs-2016.log"], {
      family: "task",
      app: "static-site",
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as Error).message).toMatch(
      /:11 is a Cloud Controller staging request \(StagingRequestFromCC\) \(data\.Request\); .*not supported yet/,
    );
  });

  it("prefers the receptor task over the CC message logged just before it", async () => {
    const found = await latest(["stager-receptor-2015.log"], { family: "task" });
    expect(found.key).toBe("TaskCreateRequest");
  });

  it("reports what was read and looked for when nothing matches", async () => {
    const error = await latest(["stager-bbs-2016.log"], { family: "task", app: "worker" }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(NoInputError);
    const { message, hint } = error as NoInputError;
    expect(message).toContain(
      `No staging task request for app 'worker' found in ${fixture("stager-bbs-2016.log")} (27 lines)`,
    );
    expect(message).toContain("looked for data.taskDefinition or data.TaskCreateRequest");
    expect(message).toContain("2 request line(s) carried no payload");
    expect(message).toContain("1 candidate line(s) were cut short or corrupt");
    expect(hint).toMatch(/stager patched.*README "Getting the requests".*cfdot task/);
  });

  it("finds no LRP in a stager log", async () => {
    await expect(latest(["stager-rfc3339-2018.log"], { family: "lrp" })).rejects.toThrow(
      /No desired LRP request found in .* \(7 lines\); looked for data\.desiredLRP.*2 request\(s\) of other kinds were found/,
    );
  });
});
