import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseRequest } from "../../../src/diego/parse/parse-request.js";
import type { TaskRequest } from "../../../src/diego/task-definition.js";
import { fixturesDir } from "../../kit/fixture-blobs.js";
import { lifecycleSource } from "../../../src/image/lifecycle-source.js";

function task(name: string): TaskRequest {
  const json: unknown = JSON.parse(readFileSync(join(fixturesDir, "requests", name), "utf8"));
  return parseRequest(json, "task").value as TaskRequest;
}

describe("lifecycleSource", () => {
  it.each(["task-bbs-2016.json", "task-cc-2024.json", "task-receptor-2015.json"])(
    "finds the lifecycle tarball of %s",
    (name) => {
      const source = lifecycleSource(task(name).definition);
      expect(source?.url).toMatch(/lifecycle/);
    },
  );

  it("uses the cached dependency's cache key, so the download cache answers", () => {
    const definition = task("task-cc-2024.json").definition;
    const cached = definition.cachedDependencies.find((d) => d.to === "/tmp/lifecycle");
    expect(lifecycleSource(definition)).toEqual({
      url: cached?.from,
      cacheKey: cached?.cacheKey,
      checksum: cached?.checksum,
    });
  });

  it("finds none in a task that downloads no lifecycle", () => {
    const definition = { ...task("task-cc-2024.json").definition, cachedDependencies: [] };
    expect(lifecycleSource(definition)).toBeUndefined();
  });
});
