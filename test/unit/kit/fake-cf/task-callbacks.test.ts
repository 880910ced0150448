import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeCf, faults } from "../../../kit/fake-cf/fake-cf.js";

const GUID = "app-guid-staging-guid";
const valid = {
  task_guid: GUID,
  failed: false,
  failure_reason: "",
  result: '{"lifecycle_type":"buildpack","process_types":{"web":"node server.js"}}\n',
  annotation:
    '{"lifecycle":"buildpack","completion_callback":"http://cc/internal/staging/x/completed"}',
  created_at: 1465495532123456800,
};

describe("task completion callbacks", () => {
  let cf: FakeCf;

  beforeEach(async () => {
    cf = await FakeCf.start({ bindHost: "127.0.0.1", advertiseHost: "127.0.0.1" });
  });
  afterEach(() => cf.close());

  const stager = (body: unknown, guid = GUID) =>
    fetch(`${cf.localUrl("stager")}/v1/staging/${guid}/completed`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });

  it("records a well-formed stager callback and answers 200", async () => {
    // BBS sends nanoseconds beyond 2^53: the raw body keeps the exact digits.
    const exact = JSON.stringify(valid).replace(
      /"created_at":\d+/,
      '"created_at":1465495532123456789',
    );
    const res = await stager(exact);
    expect(res.status).toBe(200);
    expect(cf.callbacks()).toMatchObject([
      {
        server: "stager",
        guid: GUID,
        status: 200,
        problem: undefined,
        payload: { task_guid: GUID, failed: false },
      },
    ]);
    expect(cf.callbacks()[0]?.rawBody).toContain("1465495532123456789");
  });

  it("records a CC-direct build_completed callback with its query", async () => {
    const { annotation: _annotation, ...withoutAnnotation } = valid;
    const res = await fetch(
      `${cf.localUrl("cloudController")}/internal/v3/staging/${GUID}/build_completed?start=false`,
      {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(withoutAnnotation),
      },
    );
    expect([res.status, await res.text()]).toEqual([200, "{}"]);
    expect(cf.callbacks()).toMatchObject([
      { server: "cloudController", guid: GUID, query: { start: "false" } },
    ]);
  });

  it.each([
    ["not JSON", "{", "body is not JSON"],
    ["a string failed", { ...valid, failed: "false" }, "failed must be a boolean"],
    ["a missing result", { ...valid, result: undefined }, "result must be a string"],
    [
      "a fractional created_at",
      { ...valid, created_at: 1.5 },
      "created_at must be an integer (Unix ns)",
    ],
    [
      "another task guid",
      { ...valid, task_guid: "other" },
      `task_guid other does not match ${GUID}`,
    ],
    ["a non-JSON result on success", { ...valid, result: "ok" }, "result is not a JSON object"],
    [
      "no lifecycle in the annotation",
      { ...valid, annotation: "{}" },
      "annotation has no lifecycle",
    ],
  ])("refuses %s with 400 and the reason, and still records it", async (_name, body, reason) => {
    const res = await stager(body);
    expect([res.status, await res.text()]).toEqual([400, `${reason}\n`]);
    expect(cf.callbacks()).toMatchObject([{ status: 400, problem: reason, payload: undefined }]);
  });

  it("accepts a failed task with an empty result", async () => {
    const res = await stager({
      ...valid,
      failed: true,
      failure_reason: "STG: Exited with status 223",
      result: "",
    });
    expect(res.status).toBe(200);
  });

  it("answers an injected callback status (BBS retries 503) while recording the payload", async () => {
    cf.inject({ server: "stager" }, faults.callbackStatus(503, 1));
    expect((await stager(valid)).status).toBe(503);
    expect((await stager(valid)).status).toBe(200);
    expect(cf.callbacks().map((c) => [c.status, c.payload?.task_guid])).toEqual([
      [503, GUID],
      [200, GUID],
    ]);
  });
});
