import { describe, expect, it } from "vitest";
import { findActions } from "../../../../src/diego/actions.js";
import { parseTaskRequest } from "../../../../src/diego/parse/parse-task.js";
import { requestFixtureJson } from "../../../kit/fixture-files.js";

const fixture = requestFixtureJson;

describe("Cloud Controller TaskDefinition (2024)", () => {
  const { value, warnings } = parseTaskRequest(fixture("task-cc-2024.json"));
  const definition = value.definition;

  it("reads timeout_ms, checksums and xxhash buildpack directories", () => {
    expect(warnings).toEqual([]);
    expect(value.era).toBe("cc");
    expect(definition.action).toMatchObject({ kind: "timeout", timeoutMs: 900_000 });
    const [appPackage] = findActions(definition.action, "download");
    expect(appPackage?.checksum?.algorithm).toBe("sha256");
    expect(appPackage?.checksum?.value).toMatch(/^[0-9a-f]{64}$/);
    expect(definition.cachedDependencies.map((d) => d.to)).toEqual([
      "/tmp/lifecycle",
      "/tmp/buildpacks/32cd51b4969cac6b",
      "/tmp/buildpacks/fb173b55afddc334",
    ]);
    expect(definition.cachedDependencies[1]?.checksum?.algorithm).toBe("sha256");
  });

  it("keeps the observability and scheduling fields", () => {
    expect(definition).toMatchObject({
      placementTags: ["isolated-nodes"],
      maxPids: 1024,
      logRateLimitBytesPerSecond: -1,
      networkProperties: { container_workload: "staging" },
      metricTags: { app_name: { static: "node-env" } },
      imageLayers: [],
    });
    expect(definition.certificateProperties?.organizationalUnit).toContain(
      "app:273b4ea1-c0b9-4a7c-bd3b-5275150cad19",
    );
  });

  it("serialises as the camelCase model", () => {
    const json = JSON.stringify(value);
    expect(json).toContain('"cacheKey"');
    expect(json).toContain('"timeoutMs":900000');
    expect(json).not.toMatch(/"(cache_key|timeout_ms|memory_mb|checksum_value)"/);
  });

  it("warns about unknown fields and names their paths", () => {
    const json = fixture("task-cc-2024.json");
    const result = parseTaskRequest({
      ...json,
      future_field: true,
      cached_dependencies: [{ from: "http://x/a.tgz", to: "/a", extra: 1 }],
    });
    expect(result.warnings).toEqual([
      { path: "cached_dependencies[0].extra", message: "unknown field; ignored" },
      { path: "future_field", message: "unknown field; ignored" },
    ]);
  });
});

describe("declarative mode: image_layers", () => {
  const { value } = parseTaskRequest(fixture("task-cc-image-layers.json"));
  const definition = value.definition;

  it("prepends SHARED layers to the (null) cached dependencies", () => {
    expect(definition.cachedDependencies.map((d) => d.to)).toEqual([
      "/tmp/lifecycle",
      "/tmp/buildpacks/32cd51b4969cac6b",
      "/tmp/buildpacks/fb173b55afddc334",
    ]);
    const [lifecycle, nodejs] = definition.cachedDependencies;
    expect(lifecycle?.cacheKey).toBe(lifecycle?.from);
    expect(lifecycle?.checksum).toBeUndefined();
    expect(nodejs?.cacheKey).toBe(`sha256:${nodejs?.checksum?.value}`);
    expect(nodejs?.name).toBe("nodejs_buildpack");
  });

  it("turns EXCLUSIVE layers into a parallel setup of downloads as the legacy download user", () => {
    expect(definition.setup?.kind).toBe("parallel");
    const downloads = definition.setup ? findActions(definition.setup, "download") : [];
    expect(downloads).toHaveLength(1);
    expect(downloads[0]).toMatchObject({
      artifact: "app package",
      to: "/tmp/app",
      user: "vcap",
      checksum: { algorithm: "sha256" },
    });
    expect(downloads[0]?.cacheKey).toBe(`sha256:${downloads[0]?.checksum?.value}`);
    expect(findActions(definition.action, "download")).toEqual([]);
  });

  it("keeps the original layer list", () => {
    expect(definition.imageLayers.map((l) => [l.layerType, l.mediaType])).toEqual([
      ["SHARED", "TGZ"],
      ["SHARED", "ZIP"],
      ["SHARED", "ZIP"],
      ["EXCLUSIVE", "ZIP"],
    ]);
  });
});

describe("cfdot Task", () => {
  const { value, warnings } = parseTaskRequest(fixture("cfdot-task.json"));

  it("reads the state fields around the flattened definition", () => {
    expect(warnings).toEqual([]);
    expect(value).toMatchObject({
      era: "cc",
      taskGuid: "b8f1c3e2-6a4d-4f7b-9c2e-1d5a7e9b3f60",
      domain: "cf-app-staging",
      state: { state: "Running", failed: false },
    });
    expect(value.state?.cellId).toMatch(/^diego-cell-/);
    expect(value.state?.createdAtNs).toBeGreaterThan(1.7e18);
    expect(value.definition).toEqual(
      parseTaskRequest(fixture("task-cc-2024.json")).value.definition,
    );
  });

  it("accepts the state as an enum number and a nested task_definition", () => {
    const nested = {
      task_guid: "b8f1c3e2-6a4d-4f7b-9c2e-1d5a7e9b3f60",
      domain: "cf-app-staging",
      state: 3,
      failed: true,
      failure_reason: "Staging failed",
      task_definition: fixture("task-cc-2024.json"),
    };
    const result = parseTaskRequest(nested);
    expect(result.warnings).toEqual([]);
    expect(result.value.state).toMatchObject({
      state: "Completed",
      failed: true,
      failureReason: "Staging failed",
    });
    expect(result.value.definition).toEqual(value.definition);
  });
});
