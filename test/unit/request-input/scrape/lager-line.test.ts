import { describe, expect, it } from "vitest";
import { parseLagerLine } from "../../../../src/request-input/scrape/lager-line.js";
import { parseLagerTime } from "../../../../src/request-input/scrape/lager-time.js";

const epoch =
  '{"timestamp":"1465495532.123456717","source":"stager","message":"stager.x.staging-task-request","log_level":1,"data":{"session":"1.2"}}';
const rfc =
  '{"timestamp":"2018-06-01T12:00:00.123456789Z","level":"debug","source":"stager","message":"stager.y","data":{"k":[1]}}';

describe("parseLagerLine", () => {
  it("reads the unix-epoch format", () => {
    const line = parseLagerLine(epoch);
    expect(line).toMatchObject({
      message: "stager.x.staging-task-request",
      source: "stager",
      level: "info",
      jsonStart: 0,
      data: { session: "1.2" },
    });
    expect(line?.time).toEqual({ ns: 1465495532123456717n, iso: "2016-06-09T18:05:32.123456717Z" });
  });

  it("reads the rfc3339 format", () => {
    const line = parseLagerLine(rfc);
    expect(line).toMatchObject({ message: "stager.y", level: "debug", data: { k: [1] } });
    expect(line?.time?.iso).toBe("2018-06-01T12:00:00.123456789Z");
  });

  it("skips syslog prefixes (RFC5424 and RFC3164) and trailing text", () => {
    const prefixed = [
      `<14>1 2016-06-09T18:05:32.123+00:00 cc-bridge-z1-0 stager - - - ${epoch}`,
      `<14>Jun  9 18:05:32 cc_bridge_z1/0 stager: ${epoch} [origin software="rsyslogd"]`,
      `Jun  9 18:05:32 {weird} prefix ${epoch}\r`,
    ];
    for (const text of prefixed) {
      const line = parseLagerLine(text);
      expect(line?.message).toBe("stager.x.staging-task-request");
      expect(text.slice(line?.jsonStart)).toMatch(/^\{"timestamp"/);
    }
  });

  it("rejects partial lines, plain text and JSON that is not a lager entry", () => {
    expect(parseLagerLine(epoch.slice(0, -2))).toBeUndefined();
    expect(parseLagerLine("panic: runtime error: index out of range")).toBeUndefined();
    expect(parseLagerLine('{"message":"m","data":[1]}')).toBeUndefined();
    expect(parseLagerLine('{"message":7,"data":{}}')).toBeUndefined();
    expect(parseLagerLine('{"timestamp":"1", "message":"m", "data":{}, }')).toBeUndefined();
    expect(parseLagerLine("")).toBeUndefined();
  });

  it("keeps entries whose timestamp or level is unusable", () => {
    const line = parseLagerLine('{"timestamp":"yesterday","level":"loud","message":"m","data":{}}');
    expect(line).toMatchObject({ message: "m", time: undefined, level: undefined });
  });
});

describe("parseLagerTime", () => {
  it("keeps all nine decimals and pads shorter fractions", () => {
    expect(parseLagerTime("1465495532.1")?.ns).toBe(1465495532100000000n);
    expect(parseLagerTime("1465495532")?.iso).toBe("2016-06-09T18:05:32.000000000Z");
    expect(parseLagerTime("2018-06-01T14:00:00.5+02:00")?.iso).toBe(
      "2018-06-01T12:00:00.500000000Z",
    );
    expect(parseLagerTime(1465495532.25)?.iso).toBe("2016-06-09T18:05:32.250000000Z");
  });

  it("orders lines within the same microsecond", () => {
    const a = parseLagerTime("1465495532.123456717");
    const b = parseLagerTime("1465495532.123456718");
    expect(a && b && b.ns > a.ns).toBe(true);
  });

  it("returns undefined for other values", () => {
    for (const value of ["", "12:00", "-5", null, {}, "2018-06-01"]) {
      expect(parseLagerTime(value)).toBeUndefined();
    }
  });
});
