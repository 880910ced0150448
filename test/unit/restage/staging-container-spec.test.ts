import { describe, expect, it } from "vitest";
import { parseRequest } from "../../../src/diego/parse/parse-request.js";
import type { TaskRequest } from "../../../src/diego/task-definition.js";
import type { RestageOptions } from "../../../src/restage/restage-types.js";
import { stagingContainerSpec } from "../../../src/restage/staging-container-spec.js";

function options(rootfs: string, taskGuid: string): RestageOptions {
  const request = parseRequest(
    {
      task_guid: taskGuid,
      domain: "cf-app-staging",
      task_definition: {
        rootfs,
        env: [{ name: "LANG", value: "en_US.UTF-8" }],
        action: { run: { path: "/bin/true", user: "vcap" } },
      },
    },
    "task",
  ).value as TaskRequest;
  return {
    request,
    image: "restager/cflinuxfs4:latest",
    runId: "run-1",
    labels: {},
    keepContainer: false,
    outputDir: "/tmp/out",
    keepArtifacts: false,
    signal: new AbortController().signal,
  };
}

describe("stagingContainerSpec", () => {
  it("names the host after the task guid and leaves a stack image's own env out", () => {
    const spec = stagingContainerSpec(options("preloaded:cflinuxfs4", "task-1"), [
      { name: "CF_SYSTEM_CERT_PATH", value: "/etc/cf-system-certificates" },
    ]);
    expect(spec.hostname).toBe("task-1");
    expect(spec.imageEnv).toBe(false);
    expect(spec.env).toEqual([
      "LANG=en_US.UTF-8",
      "CF_SYSTEM_CERT_PATH=/etc/cf-system-certificates",
    ]);
  });

  it("keeps Garden's last 49 characters of a long guid, and a docker rootfs's image env", () => {
    const guid = `${"a".repeat(20)}-${"b".repeat(40)}`;
    const spec = stagingContainerSpec(options("docker:///acme/app#1", guid));
    expect(spec.hostname).toBe(guid.slice(-49));
    expect(spec.hostname).toHaveLength(49);
    expect(spec.imageEnv).toBe(true);
  });
});
