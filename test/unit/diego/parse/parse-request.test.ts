import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ExitCode, InvalidInputError } from "../../../../src/errors.js";
import { parseDesiredLrp } from "../../../../src/diego/parse/parse-lrp.js";
import { parseRequest } from "../../../../src/diego/parse/parse-request.js";
import { parseTaskRequest } from "../../../../src/diego/parse/parse-task.js";
import {
  requestFixtureJson,
  requestFixtureNames,
  requestFixturePath,
} from "../../../kit/fixture-files.js";

const fixture = requestFixtureJson;

function caught(run: () => unknown): InvalidInputError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError);
    return error as InvalidInputError;
  }
  throw new Error("expected an InvalidInputError");
}

const expectedKind: Record<string, "task" | "lrp"> = {
  "task-receptor-2015.json": "task",
  "task-bbs-2016.json": "task",
  "task-cc-2024.json": "task",
  "task-cc-image-layers.json": "task",
  "cfdot-task.json": "task",
  "lrp-receptor-2015.json": "lrp",
  "lrp-bbs-2016.json": "lrp",
  "lrp-cc-2024.json": "lrp",
  "lrp-cc-docker.json": "lrp",
  "cfdot-desired-lrp.json": "lrp",
};

describe("parseRequest", () => {
  it("has a kind expectation for every fixture", () => {
    const files = requestFixtureNames();
    expect(files.sort()).toEqual(Object.keys(expectedKind).sort());
  });

  it.each(Object.entries(expectedKind))("detects %s as a %s", (name, kind) => {
    const { value } = parseRequest(fixture(name));
    expect(value.kind).toBe(kind);
    expect(parseRequest(fixture(name), kind).value).toEqual(value);
  });

  it("names the request's origin in errors", () => {
    const options = { origin: "stager.log:12" };
    const invalid = () => parseRequest(fixture("invalid/zero-timeout.json"), undefined, options);
    expect(caught(invalid).message).toBe("Task definition in stager.log:12 is invalid (1 problem)");
    const mismatch = () => parseRequest(fixture("invalid/lrp-given-as-task.json"), "task", options);
    expect(caught(mismatch).message).toBe(
      "The request in stager.log:12 is a desired LRP, not a task",
    );
  });

  it("passes the task guid context to tasks", () => {
    const { value } = parseRequest(fixture("task-bbs-2016.json"), undefined, { taskGuid: "g-1" });
    expect(value.kind === "task" && value.taskGuid).toBe("g-1");
  });

  it("names the commands for a desired LRP given where a task is expected", () => {
    for (const run of [
      () => parseRequest(fixture("invalid/lrp-given-as-task.json"), "task"),
      () => parseTaskRequest(fixture("invalid/lrp-given-as-task.json")),
    ]) {
      const error = caught(run);
      expect(error.message).toBe("This request is a desired LRP, not a task");
      expect(error.hint).toMatch(
        /build-req and restage take staging tasks; use launch-req or launch/,
      );
      expect(error.issues).toEqual([
        { path: "process_guid", message: "only desired LRPs have this field" },
      ]);
    }
  });

  it("names the commands for a task given where a desired LRP is expected", () => {
    for (const run of [
      () => parseRequest(fixture("invalid/task-given-as-lrp.json"), "lrp"),
      () => parseDesiredLrp(fixture("invalid/task-given-as-lrp.json")),
    ]) {
      const error = caught(run);
      expect(error.message).toBe("This request is a task, not a desired LRP");
      expect(error.hint).toMatch(
        /launch-req and launch take desired LRPs; use build-req or restage/,
      );
    }
  });
});

/** Each invalid fixture has one defect, reported at exactly these paths. */
const invalid: Record<string, { paths: string[]; message: RegExp }> = {
  "missing-run-path": {
    paths: ["action.timeout.action.serial.actions[1].emit_progress.action.run.path"],
    message: /^missing$/,
  },
  "unknown-action": {
    paths: ["action.timeout.action.serial.actions[0]"],
    message:
      /unknown action type "fetch"; expected one of download, upload, run, emit_progress, timeout, try, serial, parallel, codependent/,
  },
  "two-action-keys": {
    paths: ["action.timeout.action.serial.actions[0]"],
    message: /exactly one key .* found 2 keys \(download, run\)/,
  },
  "empty-action": { paths: ["action.timeout.action.serial.actions[0]"], message: /found no key/ },
  "wrong-type-memory": { paths: ["memory_mb"], message: /^expected a number, got a string$/ },
  "negative-memory": { paths: ["memory_mb"], message: /must not be negative \(got -1024\)/ },
  "negative-nofile": {
    paths: [
      "action.timeout.action.serial.actions[1].emit_progress.action.run.resource_limits.nofile",
    ],
    message: /must not be negative/,
  },
  "bad-checksum-algorithm": {
    paths: ["action.timeout.action.serial.actions[0].download.checksum_algorithm"],
    message: /unsupported algorithm "crc32"; expected md5, sha1 or sha256/,
  },
  "checksum-without-value": {
    paths: ["action.timeout.action.serial.actions[0].download.checksum_value"],
    message: /missing \(checksum_algorithm is set\)/,
  },
  "download-missing-to": {
    paths: ["action.timeout.action.serial.actions[0].download.to"],
    message: /^missing$/,
  },
  "zero-timeout": {
    paths: ["action.timeout.timeout_ms"],
    message: /must be a positive number of milliseconds \(got 0\)/,
  },
  "missing-action": { paths: ["action"], message: /^missing$/ },
  "exclusive-layer-without-digest": {
    paths: ["image_layers[0].digest_algorithm"],
    message: /EXCLUSIVE layers need a digest/,
  },
  "not-an-object": { paths: ["$"], message: /^expected an object, got an array$/ },
};

describe("invalid requests", () => {
  it("has an expectation for every invalid fixture", () => {
    const files = readdirSync(requestFixturePath("invalid")).map((name) =>
      name.replace(/\.json$/, ""),
    );
    const kindMismatches = ["lrp-given-as-task", "task-given-as-lrp"];
    expect(files.sort()).toEqual([...Object.keys(invalid), ...kindMismatches].sort());
  });

  it.each(Object.entries(invalid))("%s is rejected at its path", (name, { paths, message }) => {
    const error = caught(() => parseRequest(fixture(`invalid/${name}.json`)));
    expect(error.exitCode).toBe(ExitCode.invalidInput);
    expect(error.issues.map((issue) => issue.path)).toEqual(paths);
    expect(error.issues[0]?.message).toMatch(message);
    expect(error.hint).toBeTruthy();
  });

  it("says how many problems there are", () => {
    expect(caught(() => parseRequest(fixture("invalid/negative-memory.json"))).message).toBe(
      "Task definition is invalid (1 problem)",
    );
  });

  it("collects every problem of a request, not just the first", () => {
    const json = fixture("task-cc-2024.json");
    const error = caught(() =>
      parseRequest({
        ...json,
        memory_mb: -1,
        disk_mb: "big",
        rootfs: 4,
        cpu_weight: 101,
        env: [{ value: "x" }],
      }),
    );
    expect(error.message).toBe("Task definition is invalid (5 problems)");
    expect(error.issues.map((issue) => issue.path).sort()).toEqual(
      ["cpu_weight", "disk_mb", "env[0].name", "memory_mb", "rootfs"].sort(),
    );
  });

  it("labels desired-LRP problems as such", () => {
    const json = fixture("lrp-cc-2024.json");
    const error = caught(() => parseRequest({ ...json, instances: -2, ports: [8080, "x"] }));
    expect(error.message).toBe("Desired LRP is invalid (2 problems)");
    expect(error.issues.map((issue) => issue.path)).toEqual(["instances", "ports[1]"]);
  });
});
