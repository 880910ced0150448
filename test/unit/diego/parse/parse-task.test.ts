import { describe, expect, it } from "vitest";
import { findActions, type Action } from "../../../../src/diego/actions.js";
import { parseTaskRequest } from "../../../../src/diego/parse/parse-task.js";
import { requestFixtureJson } from "../../../kit/fixture-files.js";

const fixture = requestFixtureJson;

function usersOf(action: Action): string[] {
  return [
    ...findActions(action, "download").map((a) => a.user),
    ...findActions(action, "upload").map((a) => a.user),
    ...findActions(action, "run").map((a) => a.user),
  ];
}

describe("receptor TaskCreateRequest (2015)", () => {
  const { value, warnings } = parseTaskRequest(fixture("task-receptor-2015.json"));
  const definition = value.definition;

  it("reads the envelope and detects the era", () => {
    expect(value.era).toBe("receptor");
    expect(value.taskGuid).toBe(
      "273b4ea1-c0b9-4a7c-bd3b-5275150cad19-7c1e2a9d4b6f4e0a8d3c5b7a9e1f2d4c",
    );
    expect(value.domain).toBe("cf-app-staging");
    expect(value.state).toBeUndefined();
  });

  it("converts the nanosecond timeout and defaults every user to vcap", () => {
    expect(definition.action).toMatchObject({ kind: "timeout", timeoutMs: 900_000 });
    const users = usersOf(definition.action);
    expect(users).toHaveLength(7);
    expect(new Set(users)).toEqual(new Set(["vcap"]));
    expect(warnings.map((w) => w.message).join("\n")).toMatch(/receptor-era encoding/);
  });

  it("keeps the container fields", () => {
    expect(definition).toMatchObject({
      rootfs: "preloaded:cflinuxfs2",
      memoryMb: 1024,
      diskMb: 6144,
      cpuWeight: 50,
      privileged: true,
      logSource: "STG",
      resultFile: "/tmp/result.json",
      cachedDependencies: [],
      legacyDownloadUser: "vcap",
      setup: undefined,
    });
  });

  it("reads the older stack and root_fs keys as rootfs, with a warning", () => {
    const { rootfs: _rootfs, ...rest } = fixture("task-receptor-2015.json");
    const withStack = parseTaskRequest({ ...rest, stack: "cflinuxfs2" });
    expect(withStack.value.definition.rootfs).toBe("preloaded:cflinuxfs2");
    expect(withStack.warnings.map((w) => w.path)).toContain("stack");
    const withRootFs = parseTaskRequest({ ...rest, root_fs: "docker:///cloudfoundry/cflinuxfs2" });
    expect(withRootFs.value.definition.rootfs).toBe("docker:///cloudfoundry/cflinuxfs2");
  });
});

describe("stager BBS TaskDefinition (2016)", () => {
  const { value, warnings } = parseTaskRequest(fixture("task-bbs-2016.json"));
  const definition = value.definition;

  it("parses without warnings as a BBS-era request", () => {
    expect(warnings).toEqual([]);
    expect(value.era).toBe("bbs");
    expect(value.taskGuid).toBeUndefined();
  });

  it("takes the task guid from the log-line context", () => {
    const guid = "273b4ea1-c0b9-4a7c-bd3b-5275150cad19-3f0c9a6e51b84d27a1e6c4b8d2f7093e";
    expect(parseTaskRequest(fixture("task-bbs-2016.json"), { taskGuid: guid }).value.taskGuid).toBe(
      guid,
    );
  });

  it("reads the lifecycle and three buildpacks as cached dependencies", () => {
    expect(definition.cachedDependencies).toHaveLength(4);
    expect(definition.cachedDependencies[0]).toEqual({
      name: "",
      from: "http://file-server.service.cf.internal:8080/v1/static/buildpack_app_lifecycle/buildpack_app_lifecycle.tgz",
      to: "/tmp/lifecycle",
      cacheKey: "buildpack-cflinuxfs2-lifecycle",
      logSource: "",
      checksum: undefined,
    });
    expect(definition.cachedDependencies.slice(1).map((d) => d.name)).toEqual([
      "staticfile_buildpack",
      "nodejs_buildpack",
      "ruby_buildpack",
    ]);
    expect(definition.cachedDependencies[1]?.to).toMatch(/^\/tmp\/buildpacks\/[0-9a-f]{32}$/);
  });

  it("reads the emit_progress tree with users and nanosecond timeout", () => {
    expect(definition.action).toMatchObject({
      kind: "timeout",
      timeoutMs: 900_000,
      action: { kind: "serial" },
    });
    const [run] = findActions(definition.action, "run");
    expect(run).toMatchObject({
      path: "/tmp/lifecycle/builder",
      user: "vcap",
      resourceLimits: { nofile: 16384 },
    });
    expect(run?.env.map((e) => e.name)).toContain("CF_STACK");
    expect(findActions(definition.action, "emit_progress").map((e) => e.startMessage)).toEqual([
      "Staging...",
      "Uploading droplet, build artifacts cache...",
    ]);
    expect(findActions(definition.action, "try")).toHaveLength(2);
  });
});
