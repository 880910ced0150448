import { describe, expect, it } from "vitest";
import {
  classifyLine,
  isCandidateLine,
} from "../../../../src/request-input/scrape/classify-line.js";
import { parseLagerLine, type LagerLine } from "../../../../src/request-input/scrape/lager-line.js";

function entry(message: string, data: Record<string, unknown>): LagerLine {
  const text = JSON.stringify({ timestamp: "1.0", source: "s", message, log_level: 1, data });
  const line = parseLagerLine(text);
  if (!line) throw new Error("test line does not parse");
  return line;
}

describe("classifyLine", () => {
  const task = { action: { run: { path: "/x" } } };

  it.each([
    ["stager.traditional.build-recipe.staging-task-request", "taskDefinition", "task"],
    ["stager.traditional.build-recipe.staging-task-request", "TaskCreateRequest", "task"],
    ["nsync-listener.message-builder.desired-app-request", "desiredLRP", "lrp"],
    ["nsync-bulker.sync.process-app.creating-desired-lrp", "create-request", "lrp"],
    ["stager.traditional.build-recipe.staging-request", "Request", "staging-request"],
    ["stager.staging-handler.staging-request.staging-failed", "staging-request", "staging-request"],
    ["nsync-listener.desire-lrp.failed", "desired-app-message", "desire-app-request"],
    [
      "nsync-bulker.sync.building-create-desired-lrp-request",
      "desire-app-request",
      "desire-app-request",
    ],
  ])("%s with data.%s is a %s", (message, key, kind) => {
    const line = entry(message, { session: "1", [key]: task });
    expect(classifyLine(line)).toEqual({ kind, key, payload: task });
    expect(isCandidateLine(line.text)).toBe(true);
  });

  it("accepts payload keys on any message (patches chose their own messages)", () => {
    expect(classifyLine(entry("my-patch.logged-it", { taskDefinition: task }))).toMatchObject({
      kind: "task",
    });
  });

  it("requires the payload to be an object", () => {
    for (const value of ["text", [task], null, 42]) {
      expect(classifyLine(entry("x.desired-app-request", { desiredLRP: value }))).toBe(
        "payloadless",
      );
      expect(classifyLine(entry("x.other", { taskDefinition: value }))).toBeUndefined();
    }
  });

  it("only takes the generic key Request on staging-request lines", () => {
    expect(classifyLine(entry("cc-client.sending", { Request: task }))).toBeUndefined();
  });

  it("recognises the upstream debug line without payload", () => {
    const line = entry("stager.traditional.build-recipe.staging-task-request", {
      "app-id": "a",
      session: "1",
    });
    expect(classifyLine(line)).toBe("payloadless");
    expect(isCandidateLine(line.text)).toBe(true);
  });

  it("ignores other lines, which the prefilter rejects before parsing", () => {
    const line = entry("stager.completion-handler.posting-staging-complete", { payload: "eyJ9" });
    expect(classifyLine(line)).toBeUndefined();
    expect(isCandidateLine(line.text)).toBe(false);
  });
});
