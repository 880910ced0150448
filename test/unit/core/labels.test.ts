import { describe, expect, it } from "vitest";
import { buildLabels, LabelKey } from "../../../src/core/labels.js";

describe("buildLabels", () => {
  it("always marks the container as managed and names run and kind", () => {
    expect(buildLabels({ runId: "r1", kind: "staging" })).toEqual({
      "io.restager.managed": "true",
      "io.restager.run": "r1",
      "io.restager.kind": "staging",
    });
  });

  it("adds app and task identity when known", () => {
    const labels = buildLabels({
      runId: "r2",
      kind: "app",
      appGuid: "guid-1",
      appName: "my-app",
      taskGuid: "task-1",
    });
    expect(labels[LabelKey.appGuid]).toBe("guid-1");
    expect(labels["io.restager.app-name"]).toBe("my-app");
    expect(labels["io.restager.task-guid"]).toBe("task-1");
  });
});
