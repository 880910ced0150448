import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { fileLogInput, textLogInput } from "../../../src/logs/log-input.js";
import { scrapeRequests, type FoundRequest } from "../../../src/logs/scrape-requests.js";
import { newScrapeStats } from "../../../src/logs/scrape-stats.js";
import { logFixturePath } from "../../kit/fixture-files.js";

const fixture = logFixturePath;

async function scrape(names: string[]) {
  const stats = newScrapeStats();
  const found: FoundRequest[] = [];
  const warnings: string[] = [];
  const logger = { warn: (text: string) => warnings.push(text), debug: () => undefined };
  for await (const request of scrapeRequests(
    names.map((n) => fileLogInput(fixture(n))),
    { stats, logger },
  )) {
    found.push(request);
  }
  return { stats, found, warnings };
}

/** The payload text cut out of the file by hand: `"<key>":` up to the `}}` closing data and entry. */
function expectedSlice(text: string, lineNo: number, key: string): string {
  const line = text.split("\n")[lineNo - 1] ?? "";
  const start = line.indexOf(`"${key}":`) + key.length + 3;
  return line.slice(start, line.lastIndexOf("}}"));
}

describe("scrapeRequests on the 2016 BBS-era stager log", () => {
  it("finds the patched requests, in file order, with byte-exact payload text", async () => {
    const { found } = await scrape(["stager-bbs-2016.log"]);
    const text = readFileSync(fixture("stager-bbs-2016.log"), "utf8");
    expect(found.map((f) => [f.kind, f.meta.appName, f.origin.line])).toEqual([
      ["task", "node-env", 9],
      ["staging-request", "static-site", 11],
      ["task", "go-hello", 17],
      ["task", "node-env", 24],
    ]);
    for (const request of found.filter((f) => f.kind === "task")) {
      expect(request.rawText).toBe(expectedSlice(text, request.origin.line, "taskDefinition"));
      expect(request.rawText).toContain("\\u0026expires=");
      expect(JSON.parse(request.rawText)).toEqual(request.payload);
    }
  });

  it("reads identifiers from the lager session and the payload", async () => {
    const { found } = await scrape(["stager-bbs-2016.log"]);
    expect(found[0]?.meta).toEqual({
      appId: "273b4ea1-c0b9-4a7c-bd3b-5275150cad19",
      appName: "node-env",
      stagingGuid: "273b4ea1-c0b9-4a7c-bd3b-5275150cad19-7617e252827a4676a1fa71ae123ded3b",
      processGuid: undefined,
      logGuid: "273b4ea1-c0b9-4a7c-bd3b-5275150cad19",
      rootfs: "preloaded:cflinuxfs2",
      stack: "cflinuxfs2",
    });
    expect(found[0]?.time?.iso).toBe("2016-06-09T18:05:32.123456717Z");
  });

  it("counts skipped lines for diagnostics", async () => {
    const { stats } = await scrape(["stager-bbs-2016.log"]);
    expect(stats).toMatchObject({
      lines: 27,
      unparsable: 1, // the go-hello line cut short by a crash
      nonJson: 1, // Go's "http: TLS handshake error" line
      payloadless: 2, // the upstream debug staging-task-request lines
      requests: 4,
      tooLong: 0,
    });
    expect(stats.sources).toEqual([{ name: fixture("stager-bbs-2016.log"), lines: 27 }]);
  });
});

describe("scrapeRequests across eras and formats", () => {
  it("reads a rotated gzip file", async () => {
    const { found } = await scrape(["stager-bbs-2016.log.1.gz"]);
    const text = gunzipSync(readFileSync(fixture("stager-bbs-2016.log.1.gz"))).toString("utf8");
    expect(found).toHaveLength(1);
    expect(found[0]?.meta.stagingGuid).toBe(
      "273b4ea1-c0b9-4a7c-bd3b-5275150cad19-3f1c9e2a7b6d4c8e9a0b1c2d3e4f5a6b",
    );
    expect(found[0]?.rawText).toBe(expectedSlice(text, 4, "taskDefinition"));
  });

  it("reads receptor-era TaskCreateRequest debug lines next to the CC staging request", async () => {
    const { found } = await scrape(["stager-receptor-2015.log"]);
    expect(found.map((f) => [f.kind, f.key])).toEqual([
      ["staging-request", "Request"],
      ["task", "TaskCreateRequest"],
    ]);
    const task = found[1];
    expect(task?.rawText.startsWith('{"action":{"timeout":')).toBe(true);
    expect(task?.meta.stagingGuid).toBe(task?.payload.task_guid);
    expect(task?.meta.appName).toBe("node-env");
  });

  it("reads the rfc3339 format", async () => {
    const { found } = await scrape(["stager-rfc3339-2018.log"]);
    expect(found.map((f) => [f.meta.appName, f.time?.iso])).toEqual([
      ["go-hello", "2018-03-20T10:15:42.345678901Z"],
      ["node-env", "2018-03-20T11:02:07.123456789Z"],
    ]);
    expect(found[0]?.payload.privileged).toBe(false);
  });

  it("reads syslog-prefixed lines, with trailing text after the entry", async () => {
    const { found } = await scrape(["stager-syslog.log"]);
    const text = readFileSync(fixture("stager-syslog.log"), "utf8");
    expect(found.map((f) => f.meta.appName)).toEqual(["go-hello", "node-env"]);
    const line = text.split("\n")[3] ?? "";
    expect(line.endsWith('[origin software="rsyslogd"]')).toBe(true);
    const start = line.indexOf('"taskDefinition":') + '"taskDefinition":'.length;
    expect(found[1]?.rawText).toBe(line.slice(start, line.lastIndexOf("}}")));
  });

  it("reads desired LRPs from nsync-listener and the 2015 bulker's create requests", async () => {
    const listener = await scrape(["nsync-listener-2016.log"]);
    expect(
      listener.found.map((f) => [f.kind, f.meta.appName, f.meta.processGuid?.slice(37)]),
    ).toEqual([
      ["lrp", "node-env", "059cc28f-8f3b-4d2a-9c6e-1b7d3f5a9e20"],
      ["lrp", "go-hello", "7c3e5a1f-2d4b-4f6e-8a0c-9e1b3d5f7a2c"],
      ["lrp", "node-env", "b2e46d4d-0d03-4615-98ef-4ba6214c86c7"],
    ]);
    const bulker = await scrape(["nsync-bulker-2015.log"]);
    expect(bulker.found.map((f) => [f.kind, f.key])).toEqual([
      ["desire-app-request", "desire-app-request"],
      ["lrp", "create-request"],
    ]);
  });

  it("marks redacted and truncated payloads with the JSON path of the value", async () => {
    const redacted = await scrape(["stager-redacted.log"]);
    expect(redacted.found.map((f) => f.markers)).toEqual([
      [],
      [
        {
          kind: "redacted",
          path: "action.timeout.action.serial.actions[2].emit_progress.action.run.env[2].value",
        },
      ],
    ]);
    const truncated = await scrape(["stager-truncated.log"]);
    expect(truncated.found[0]?.markers).toEqual([
      {
        kind: "truncated",
        path: "action.timeout.action.serial.actions[2].emit_progress.action.run.env[0].value",
      },
    ]);
  });

  it("survives binary garbage and finds the request between it", async () => {
    const { found, stats } = await scrape(["bad/binary-garbage.log"]);
    expect(found).toHaveLength(1);
    expect(found[0]?.meta.appName).toBe("node-env");
    expect(stats.unparsable).toBe(1);
  });

  it("skips over-long lines with a warning naming the line", async () => {
    const line = `{"timestamp":"1.0","message":"x.staging-task-request","data":{"taskDefinition":{"a":"${"b".repeat(200)}"}}}`;
    const stats = newScrapeStats();
    const warnings: string[] = [];
    const logger = { warn: (text: string) => warnings.push(text), debug: () => undefined };
    const found: FoundRequest[] = [];
    for await (const f of scrapeRequests([textLogInput("t.log", `${line}\nshort\n`)], {
      stats,
      logger,
      maxLineBytes: 100,
    })) {
      found.push(f);
    }
    expect(found).toEqual([]);
    expect(stats).toMatchObject({ tooLong: 1, lines: 2 });
    expect(warnings).toEqual([expect.stringMatching(/^t\.log:1: skipped a 2\d\d-byte line/)]);
  });
});
