import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InvalidInputError, NoInputError } from "../../../src/errors.js";
import { readAllInput } from "../../../src/input/read-all-input.js";
import { readRequestInput } from "../../../src/input/read-request-input.js";
import { logFixturePath } from "../../kit/fixture-files.js";

const fixture = logFixturePath;
const stdinOf = (text: string | Buffer) =>
  Readable.from([typeof text === "string" ? Buffer.from(text) : text]);
const fromStdin = (text: string | Buffer, expected: "task" | "lrp" | "any" = "any", app?: string) =>
  readRequestInput({ stdin: stdinOf(text) }, expected, app === undefined ? {} : { app });

const stagerLog = readFileSync(fixture("stager-bbs-2016.log"), "utf8");
const lines = stagerLog.split("\n");
const taskLine = lines[8] ?? "";
const dataText = taskLine.slice(taskLine.indexOf('"data":') + 7, -1);
const payloadText = taskLine.slice(taskLine.indexOf('"taskDefinition":') + 17, -2);

describe("readRequestInput", () => {
  it("reads a plain task definition as is", async () => {
    const input = await fromStdin(`\n${payloadText}\n`, "task");
    expect(input).toMatchObject({ rawText: payloadText, origin: "stdin", kind: "task" });
    expect(input.meta).toMatchObject({
      appId: "273b4ea1-c0b9-4a7c-bd3b-5275150cad19",
      appName: "node-env",
    });
    expect(input.payload).toEqual(JSON.parse(payloadText));
  });

  it("reads cfdot output (a Task with a nested task_definition), keeping ns integers in rawText", async () => {
    const text = `{"task_guid":"g-1","domain":"cf-app-staging","created_at":1465495532123456789,"task_definition":${payloadText}}`;
    const input = await fromStdin(text, "task");
    expect(input.kind).toBe("task");
    expect(input.rawText).toContain("1465495532123456789");
    expect(input.meta.stagingGuid).toBe("g-1");
  });

  it("reads a lager data object, slicing out the payload exactly", async () => {
    const input = await fromStdin(dataText, "task");
    expect(input.rawText).toBe(payloadText);
    expect(input.meta.stagingGuid).toBe(
      "273b4ea1-c0b9-4a7c-bd3b-5275150cad19-7617e252827a4676a1fa71ae123ded3b",
    );
  });

  it("reads one lager line through the scraper", async () => {
    const input = await fromStdin(taskLine, "task");
    expect(input).toMatchObject({ rawText: payloadText, origin: "stdin:1", kind: "task" });
    expect(input.meta.timestamp).toBe("2016-06-09T18:05:32.123456717Z");
  });

  it("picks the latest request of the expected kind from many log lines, optionally for an app", async () => {
    const file = fixture("stager-bbs-2016.log");
    expect((await readRequestInput({ file }, "task")).origin).toBe(`${file}:24`);
    expect((await readRequestInput({ file }, "task", { app: "go-hello" })).origin).toBe(
      `${file}:17`,
    );
    const lrp = await readRequestInput({ file: fixture("nsync-rfc3339.log") }, "lrp");
    expect(lrp).toMatchObject({ kind: "lrp", meta: { appName: "node-env" } });
    expect(lrp.meta.processGuid).toMatch(/^273b4ea1-c0b9-4a7c-bd3b-5275150cad19-/);
  });

  it("reads gzip-compressed input", async () => {
    const input = await fromStdin(gzipSync(Buffer.from(stagerLog)), "task");
    expect(input.origin).toBe("stdin:24");
  });

  it("reads a desired LRP and refuses it where a task is expected", async () => {
    const lrpLine = readFileSync(fixture("nsync-listener-2016.log"), "utf8").split("\n")[3] ?? "";
    const lrpText = lrpLine.slice(
      lrpLine.indexOf('"desiredLRP":') + 13,
      lrpLine.lastIndexOf(',"session"'),
    );
    expect((await fromStdin(lrpText, "any")).kind).toBe("lrp");
    await expect(fromStdin(lrpText, "task")).rejects.toThrow(
      "stdin holds a desired LRP, not a staging task",
    );
  });

  it("leaves unknown objects to the parser", async () => {
    expect(await fromStdin('{"hello":"world"}', "task")).toMatchObject({
      kind: "unknown",
      rawText: '{"hello":"world"}',
    });
  });

  it("refuses CC messages and marked payloads", async () => {
    const request =
      lines[10]?.slice(lines[10].indexOf('"Request":') + 10, lines[10].lastIndexOf(',"session"')) ??
      "";
    await expect(fromStdin(request, "task")).rejects.toThrow(
      /stdin is a Cloud Controller staging request/,
    );
    await expect(
      fromStdin(payloadText.replace("en_US.UTF-8", "*REDACTED*"), "task"),
    ).rejects.toThrow(
      /at stdin cannot be replayed: env\[0\]\.value was replaced by lager's redacting sink/,
    );
    await expect(
      readRequestInput({ file: fixture("stager-redacted.log") }, "task"),
    ).rejects.toThrow(/stager-redacted\.log:3/);
  });

  it("fails with NoInputError on empty input, showing the pipe usage", async () => {
    const error = await fromStdin("  \n").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoInputError);
    expect((error as NoInputError).hint).toContain("build_req --log stager.stdout.log | restage");
    await expect(
      readRequestInput({ stdin: Object.assign(stdinOf(""), { isTTY: true }) }, "task"),
    ).rejects.toBeInstanceOf(NoInputError);
  });

  it("fails with NoInputError when the logs hold no request", async () => {
    await expect(
      readRequestInput({ file: fixture("bad/partial-and-text.log") }, "task"),
    ).rejects.toThrow(
      /No staging task request found in .*partial-and-text\.log \(5 lines\).*2 candidate line\(s\) were cut short/,
    );
  });

  it("reports where invalid JSON breaks", async () => {
    const error = await fromStdin('{\n  "rootfs": "preloaded:cflinuxfs2",\n  "env": [}\n').catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as Error).message).toBe(
      'stdin is neither JSON nor lager log lines at line 3, column 11: unexpected character "}"',
    );
  });
});

describe("readAllInput", () => {
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "restager-input-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("refuses input over the cap, compressed or not", async () => {
    const path = join(dir, "big.json");
    await writeFile(path, "x".repeat(2000));
    await expect(readAllInput({ file: path }, 1000)).rejects.toThrow(
      `${path} is larger than 1000 bytes`,
    );
    await expect(
      readAllInput({ stdin: stdinOf(gzipSync("y".repeat(2000))) }, 1000),
    ).rejects.toThrow(/larger than/);
  });

  it("fails with NoInputError for a missing file and drops a BOM", async () => {
    await expect(readAllInput({ file: join(dir, "none.json") })).rejects.toBeInstanceOf(
      NoInputError,
    );
    expect((await readAllInput({ stdin: stdinOf("\uFEFF{}") })).text).toBe("{}");
  });
});
