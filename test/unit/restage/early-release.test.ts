import { describe, expect, it } from "vitest";
import type { Action, UploadAction } from "../../../src/diego/actions.js";
import type { SpooledFile } from "../../../src/archive/ports.js";
import { EarlyRelease } from "../../../src/restage/early-release.js";
import { builderRun, uploadAction } from "../../kit/actions.js";

const upload = (artifact: string) => uploadAction(artifact);
const spooled = (action: UploadAction) => ({
  action,
  artifact: action.artifact,
  from: action.from,
  file: {} as SpooledFile,
});

function recordingSteps(readFails = false) {
  const calls: string[] = [];
  return {
    calls,
    steps: {
      read: () => {
        calls.push("read");
        if (readFails) return Promise.reject(new Error("no result file"));
        return Promise.resolve({ text: "{}", json: {} });
      },
      remove: () => {
        calls.push("remove");
        return Promise.resolve();
      },
    },
  };
}

describe("EarlyRelease", () => {
  it("reads the result, then removes the container, once the last final upload is spooled", async () => {
    const [early, droplet, cache] = [upload("early"), upload("droplet"), upload("cache")];
    const action: Action = {
      kind: "serial",
      actions: [early, { kind: "parallel", actions: [droplet, cache] }],
    };
    const { calls, steps } = recordingSteps();
    const release = EarlyRelease.forAction(action, steps);
    if (!release) throw new Error("expected a release");
    release.onSpooled(spooled(early));
    release.onSpooled(spooled(droplet));
    expect(release.removal).toBeUndefined();
    expect(calls).toEqual([]);
    release.onSpooled(spooled(cache));
    await release.removal;
    expect(calls).toEqual(["read", "remove"]);
    expect(await release.result).toEqual({ text: "{}", json: {} });
    // A second spool of the same upload starts nothing again.
    release.onSpooled(spooled(cache));
    expect(calls).toEqual(["read", "remove"]);
  });

  it("removes the container when the result cannot be read, and keeps the read's error", async () => {
    const droplet = upload("droplet");
    const { calls, steps } = recordingSteps(true);
    const release = EarlyRelease.forAction(droplet, steps);
    release?.onSpooled(spooled(droplet));
    await release?.removal;
    expect(calls).toEqual(["read", "remove"]);
    await expect(release?.result).rejects.toThrow("no result file");
  });

  it("only removes when the task has no result file", async () => {
    const droplet = upload("droplet");
    const { calls, steps } = recordingSteps();
    const release = EarlyRelease.forAction(droplet, { ...steps, read: undefined });
    release?.onSpooled(spooled(droplet));
    await release?.removal;
    expect(calls).toEqual(["remove"]);
    expect(release?.result).toBeUndefined();
  });

  it("is not made for an action that does not end in uploads", () => {
    expect(EarlyRelease.forAction(builderRun, recordingSteps().steps)).toBeUndefined();
  });
});
