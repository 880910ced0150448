import { describe, expect, it } from "vitest";
import {
  desiredLrpLogLine,
  lagerLine,
  stagingTaskLogLine,
} from "../../../kit/fake-cf/log-lines.js";

const task = {
  rootfs: "preloaded:cflinuxfs4",
  action: { run: { path: "/tmp/lifecycle/builder", args: ["-buildDir=/tmp/app"] } },
  env: [{ name: "VCAP_SERVICES", value: '{"db":[{"uri":"postgres://u:p@h/db?a=1&b=<2>"}]}' }],
};

describe("lager log lines", () => {
  it("round-trips a staging task through the stager's line", () => {
    const line = stagingTaskLogLine(
      task,
      { appId: "app", stagingGuid: "app-stg" },
      { timeNs: 1465495532123456717n, session: "1.12" },
    );
    const parsed = JSON.parse(line) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(["timestamp", "source", "message", "log_level", "data"]);
    expect(parsed).toMatchObject({
      timestamp: "1465495532.123456717",
      source: "stager",
      message: "stager.traditional.build-recipe.staging-task-request",
      log_level: 1,
    });
    const data = parsed.data as Record<string, unknown>;
    expect(Object.keys(data)).toEqual(["app-id", "session", "staging-guid", "taskDefinition"]);
    expect(data.taskDefinition).toEqual(task);
    expect(line).not.toContain("\n");
  });

  it("escapes <, > and & the way Go's encoding/json does", () => {
    const line = stagingTaskLogLine(task, { appId: "a", stagingGuid: "s" });
    expect(line).toContain("a=1\\u0026b=\\u003c2\\u003e");
    expect(line).not.toMatch(/[<>&]/);
  });

  it("round-trips a desired LRP through nsync's line", () => {
    const lrp = { process_guid: "p", ports: [8080], annotation: "x & y" };
    const parsed = JSON.parse(desiredLrpLogLine(lrp, { session: "23" })) as {
      message: string;
      data: object;
    };
    expect(parsed.message).toBe("nsync-listener.message-builder.desired-app-request");
    expect(parsed.data).toEqual({ desiredLRP: lrp, session: "23" });
  });

  it("writes the rfc3339 envelope on request", () => {
    const line = lagerLine(
      { source: "stager", message: "stager.x", data: { b: 1, a: 2 } },
      { format: "rfc3339", timeNs: 1527854400123456789n, level: "error" },
    );
    expect(line).toBe(
      '{"timestamp":"2018-06-01T12:00:00.123456789Z","level":"error","source":"stager","message":"stager.x","data":{"a":2,"b":1,"session":"1"}}',
    );
  });
});
