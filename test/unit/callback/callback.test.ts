import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { parseRequest } from "../../../src/diego/parse/parse-request.js";
import type { TaskRequest } from "../../../src/diego/task-definition.js";
import { FakeCf, faults } from "../../kit/fake-cf/fake-cf.js";
import { buildStagingTask } from "../../kit/fake-cf/staging-task.js";
import { fixturesDir } from "../../kit/fixture-blobs.js";
import { callbackPayload, callbackTaskGuid } from "../../../src/callback/callback-payload.js";
import { CallbackRefusedError, sendCallback } from "../../../src/callback/send-callback.js";
import { jsonPoster } from "../../../src/http/post-json.js";

const guid = "273b4ea1-c0b9-4a7c-bd3b-5275150cad19-7617e252827a4676a1fa71ae123ded3b";
const resultText =
  '{"lifecycle_metadata":{"buildpack_key":"k","detected_buildpack":"staticfile","buildpacks":[{"key":"k","name":"static_buildpack","version":"1.2.3"}]},"process_types":{"web":"run"},"processes":null,"sidecars":null,"execution_metadata":"","lifecycle_type":"buildpack"}\n';
let cf: FakeCf;

function stagingRequest(style: "stager-2016" | "cc-2024"): TaskRequest {
  const json = buildStagingTask({
    endpoints: cf.endpoints("127.0.0.1"),
    style,
    appGuid: "273b4ea1-c0b9-4a7c-bd3b-5275150cad19",
    appName: "node-env",
    stagingGuid: guid,
    appPackageUrl: "http://127.0.0.1:1/package",
    buildpacks: [],
  });
  return parseRequest(json, "task").value as TaskRequest;
}

beforeAll(async () => {
  cf = await FakeCf.start({ bindHost: "127.0.0.1", advertiseHost: "127.0.0.1" });
});

afterAll(async () => {
  await cf.close();
});

describe("callbackPayload", () => {
  it("carries the result file as a string, the annotation and a creation time in ns", () => {
    const request = stagingRequest("stager-2016");
    const payload = callbackPayload(
      request,
      { failed: false, failureReason: "", resultText },
      () => 42,
    );
    expect(payload).toEqual({
      task_guid: guid,
      failed: false,
      failure_reason: "",
      result: resultText,
      annotation: request.definition.annotation,
      created_at: 42,
    });
  });

  it("reports a failure with its reason and the result file the rep read after it", () => {
    const payload = callbackPayload(
      stagingRequest("cc-2024"),
      { failed: true, failureReason: "STG: Exited with status 223", resultText: "partial\n" },
      () => 1,
    );
    expect(payload).toMatchObject({
      failed: true,
      failure_reason: "STG: Exited with status 223",
      result: "partial\n",
    });
    const unread = callbackPayload(
      stagingRequest("cc-2024"),
      { failed: true, failureReason: "failed to fetch result" },
      () => 1,
    );
    expect(unread.result).toBe("");
    expect(payload).not.toHaveProperty("annotation");
  });

  it("uses the guid and creation time a cfdot task records", () => {
    const json: unknown = JSON.parse(
      readFileSync(join(fixturesDir, "requests", "cfdot-task.json"), "utf8"),
    );
    const request = parseRequest(json, "task").value as TaskRequest;
    const payload = callbackPayload(request, { failed: false, failureReason: "" }, () => 1);
    expect(payload.task_guid).toBe("b8f1c3e2-6a4d-4f7b-9c2e-1d5a7e9b3f60");
    expect(payload.created_at).toBe(request.state?.createdAtNs);
    expect(request.state?.createdAtNs).toBeGreaterThan(1);
  });

  it("takes the guid from a CC-direct callback URL", () => {
    expect(callbackTaskGuid(stagingRequest("cc-2024"))).toBe(guid);
  });
});

describe("sendCallback", () => {
  it("posts the payload the stager accepts, once", async () => {
    const request = stagingRequest("stager-2016");
    const payload = callbackPayload(request, { failed: false, failureReason: "", resultText });
    const before = cf.callbacks().length;
    const outcome = await sendCallback(request.definition.completionCallbackUrl, payload, {
      poster: jsonPoster({}),
    });
    expect(outcome).toMatchObject({ status: 200, attempts: 1 });
    const recorded = cf.callbacks().slice(before);
    expect(recorded).toHaveLength(1);
    expect(recorded[0]?.problem).toBeUndefined();
    expect(recorded[0]?.payload).toEqual(payload);
  });

  it("retries a 503 at once and reports the attempts", async () => {
    const request = stagingRequest("cc-2024");
    cf.inject(
      { server: "cloudController", path: "/internal/v3/staging" },
      faults.callbackStatus(503, 1),
    );
    const payload = callbackPayload(request, {
      failed: true,
      failureReason: "STG: Exited with status 222",
    });
    // With setTimeout frozen, any backoff sleep would never end: the retry must not wait.
    vi.useFakeTimers({ toFake: ["setTimeout"] });
    try {
      const outcome = await sendCallback(request.definition.completionCallbackUrl, payload, {
        poster: jsonPoster({}),
      });
      expect(outcome).toMatchObject({ status: 200, attempts: 2 });
    } finally {
      vi.useRealTimers();
    }
  });

  it("gives up after 3 tries of 504 and says so without printing the URL's secrets", async () => {
    const request = stagingRequest("cc-2024");
    cf.inject(
      { server: "cloudController", path: "/internal/v3/staging" },
      faults.callbackStatus(504, 3),
    );
    const payload = callbackPayload(request, { failed: true, failureReason: "x" });
    const url = request.definition.completionCallbackUrl.replace("http://", "http://user:secret@");
    const error = await sendCallback(url, payload, { poster: jsonPoster({}) }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CallbackRefusedError);
    const refused = error as CallbackRefusedError;
    expect(refused.outcome).toMatchObject({ status: 504, attempts: 3 });
    expect(refused.message).toContain("answered HTTP 504 after 3 attempts");
    expect(refused.message).not.toContain("secret");
    expect(refused.message).not.toContain("start=false");
  });

  it("rewrites the host with --resolve", async () => {
    const request = stagingRequest("stager-2016");
    const port = new URL(cf.localUrl("stager")).port;
    const url = `http://stager.service.cf.internal:${port}/v1/staging/${guid}/completed`;
    const payload = callbackPayload(request, { failed: false, failureReason: "", resultText });
    const poster = jsonPoster({ resolve: ["stager.service.cf.internal=127.0.0.1"] });
    const outcome = await sendCallback(url, payload, { poster });
    expect(outcome.status).toBe(200);
  });
});
