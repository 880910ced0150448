import { describe, expect, it } from "vitest";
import type { Action } from "../../../../src/diego/actions.js";
import { parseAction } from "../../../../src/diego/parse/parse-action.js";
import { createParseContext, detectEra } from "../../../../src/diego/parse/parse-context.js";

function parse(json: unknown, legacyDownloadUser = "vcap") {
  const ctx = createParseContext();
  ctx.legacyDownloadUser = legacyDownloadUser;
  const action = parseAction(json, "action", ctx);
  return {
    action,
    errors: ctx.log.errors,
    warnings: ctx.log.warnings,
    era: detectEra(ctx.eraHints),
  };
}

function only<K extends Action["kind"]>(
  action: Action | undefined,
  kind: K,
): Extract<Action, { kind: K }> {
  expect(action?.kind).toBe(kind);
  return action as Extract<Action, { kind: K }>;
}

const run = { run: { path: "/bin/true", user: "vcap" } };

describe("timeout", () => {
  it("prefers timeout_ms when positive", () => {
    const { action, era } = parse({ timeout: { action: run, timeout_ms: 900000, timeout: 5 } });
    expect(only(action, "timeout").timeoutMs).toBe(900000);
    expect(era).toBe("cc");
  });

  it("falls back to timeout in nanoseconds (timeout_ms 0 is what V0 clients get)", () => {
    expect(
      only(parse({ timeout: { action: run, timeout: 900000000000 } }).action, "timeout").timeoutMs,
    ).toBe(900000);
    const v0 = parse({ timeout: { action: run, timeout_ms: 0, timeout: 30000000000 } });
    expect(only(v0.action, "timeout").timeoutMs).toBe(30000);
    expect(v0.errors).toEqual([]);
  });

  it("rejects non-positive and missing timeouts", () => {
    expect(parse({ timeout: { action: run, timeout_ms: -1 } }).errors).toEqual([
      {
        path: "action.timeout.timeout_ms",
        message: "must be a positive number of milliseconds (got -1)",
      },
    ]);
    expect(parse({ timeout: { action: run, timeout: 0 } }).errors[0]?.path).toBe(
      "action.timeout.timeout",
    );
    expect(parse({ timeout: { action: run } }).errors[0]).toEqual({
      path: "action.timeout.timeout_ms",
      message: "missing (neither timeout_ms nor timeout is set)",
    });
  });
});

describe("users", () => {
  it("defaults receptor-era downloads and uploads to the legacy download user, warning once", () => {
    const { action, warnings, era } = parse(
      {
        serial: {
          actions: [
            { download: { from: "http://a/x.tgz", to: "/tmp/a", cache_key: "" } },
            { download: { from: "http://a/y.tgz", to: "/tmp/b", cache_key: "" } },
            { upload: { from: "/tmp/droplet", to: "http://up/x" } },
          ],
        },
      },
      "cfuser",
    );
    const users = only(action, "serial").actions.map((a) => (a as { user: string }).user);
    expect(users).toEqual(["cfuser", "cfuser", "cfuser"]);
    expect(era).toBe("receptor");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.path).toBe("action.serial.actions[0].download");
  });

  it("runs receptor-era run actions as root when privileged, else vcap", () => {
    expect(only(parse({ run: { path: "/x", privileged: true } }).action, "run").user).toBe("root");
    expect(only(parse({ run: { path: "/x" } }).action, "run").user).toBe("vcap");
    expect(
      only(parse({ run: { path: "/x", user: "app", privileged: true } }).action, "run").user,
    ).toBe("app");
  });
});

describe("run", () => {
  it("reads Go's nulls as empty", () => {
    const action = only(
      parse({
        run: { path: "/hc", args: null, env: null, resource_limits: {}, dir: "", user: "vcap" },
      }).action,
      "run",
    );
    expect(action).toMatchObject({ args: [], env: [], resourceLimits: {}, dir: undefined });
    expect(action.suppressLogOutput).toBe(false);
  });

  it("keeps nofile and ignores the deprecated nproc silently", () => {
    const result = parse({
      run: { path: "/x", user: "vcap", resource_limits: { nofile: 1024, nproc: 10 } },
    });
    expect(only(result.action, "run").resourceLimits).toEqual({ nofile: 1024 });
    expect(result.warnings).toEqual([]);
  });

  it("warns about unknown fields with their path", () => {
    const { warnings, errors } = parse({ run: { path: "/x", user: "vcap", cwd: "/tmp" } });
    expect(errors).toEqual([]);
    expect(warnings).toEqual([{ path: "action.run.cwd", message: "unknown field; ignored" }]);
  });
});

describe("download checksums", () => {
  const download = { from: "http://a/x.tgz", to: ".", cache_key: "k", user: "vcap" };
  const sha = "a".repeat(64);

  it("lower-cases the algorithm and strips quotes from the value", () => {
    const action = only(
      parse({
        download: {
          ...download,
          checksum_algorithm: "SHA256",
          checksum_value: `"${sha.toUpperCase()}"`,
        },
      }).action,
      "download",
    );
    expect(action.checksum).toEqual({ algorithm: "sha256", value: sha });
  });

  it("treats empty strings as no checksum", () => {
    const result = parse({ download: { ...download, checksum_algorithm: "", checksum_value: "" } });
    expect(only(result.action, "download").checksum).toBeUndefined();
    expect(result.errors).toEqual([]);
  });

  it("warns when the value does not fit the algorithm", () => {
    const result = parse({
      download: { ...download, checksum_algorithm: "md5", checksum_value: "abc" },
    });
    expect(result.errors).toEqual([]);
    expect(result.warnings[0]?.path).toBe("action.download.checksum_value");
  });

  it("requires the algorithm when a value is given", () => {
    expect(parse({ download: { ...download, checksum_value: sha } }).errors).toEqual([
      { path: "action.download.checksum_algorithm", message: "missing (checksum_value is set)" },
    ]);
  });
});

describe("envelopes and all-issues collection", () => {
  it("reports every problem in a tree, each with its JSON path", () => {
    const { action, errors } = parse({
      serial: {
        actions: [
          { run: { args: [] } },
          { download: { cache_key: "" } },
          { bogus: {} },
          "run",
          { try: {} },
          { parallel: {} },
          { run: { path: 42 } },
        ],
      },
    });
    expect(action).toBeUndefined();
    expect(errors.map((e) => e.path)).toEqual([
      "action.serial.actions[0].run.path",
      "action.serial.actions[1].download.from",
      "action.serial.actions[1].download.to",
      "action.serial.actions[2]",
      "action.serial.actions[3]",
      "action.serial.actions[4].try.action",
      "action.serial.actions[5].parallel.actions",
      "action.serial.actions[6].run.path",
    ]);
    expect(errors[2]?.message).toBe("missing");
    expect(errors[3]?.message).toMatch(
      /^unknown action type "bogus"; expected one of download, upload, run/,
    );
    expect(errors[4]?.message).toBe("expected an action object, got a string");
    expect(errors[7]?.message).toBe("expected a string, got a number");
  });

  it("reads every composite and keeps log sources", () => {
    const { action, errors } = parse({
      codependent: {
        log_source: "APP",
        actions: [
          { try: { action: run } },
          {
            emit_progress: {
              action: { parallel: { actions: null } },
              start_message: "Staging...",
              success_message: "Staging complete",
              failure_message_prefix: "Staging failed",
            },
          },
        ],
      },
    });
    expect(errors).toEqual([]);
    const group = only(action, "codependent");
    expect(group.logSource).toBe("APP");
    expect(group.actions[0]).toMatchObject({ kind: "try", logSource: undefined });
    expect(group.actions[1]).toMatchObject({
      kind: "emit_progress",
      startMessage: "Staging...",
      action: { kind: "parallel", actions: [] },
    });
  });
});
