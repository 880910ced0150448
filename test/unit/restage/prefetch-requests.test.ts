import { describe, expect, it } from "vitest";
import type { Action, DownloadAction } from "../../../src/diego/actions.js";
import type { TaskDefinition } from "../../../src/diego/task-definition.js";
import { actionUsers, prefetchRequests } from "../../../src/restage/prefetch-requests.js";

function download(from: string, cacheKey = ""): DownloadAction {
  return { kind: "download", artifact: "", from, to: "/tmp/x", cacheKey, user: "vcap" };
}

describe("prefetchRequests", () => {
  it("finds the download actions of setup and action, nested anywhere, and no uploads", () => {
    const action: Action = {
      kind: "timeout",
      timeoutMs: 1000,
      action: {
        kind: "serial",
        actions: [
          download("http://app"),
          { kind: "try", action: download("http://cache") },
          { kind: "run", path: "/bin/true", args: [], env: [], user: "vcap", resourceLimits: {} },
          {
            kind: "upload",
            artifact: "droplet",
            from: "/tmp/droplet",
            to: "http://upload",
            user: "vcap",
          },
        ],
      },
    } as unknown as Action;
    const definition = { setup: download("http://layer", "layer-key"), action };
    expect(prefetchRequests(definition as unknown as TaskDefinition)).toEqual([
      { url: "http://layer", cacheKey: "layer-key", checksum: undefined },
      { url: "http://app", cacheKey: "", checksum: undefined },
      { url: "http://cache", cacheKey: "", checksum: undefined },
    ]);
  });
});

describe("actionUsers", () => {
  it("lists the users of the download and run actions of setup and action, once each", () => {
    const run = (user: string) => ({ kind: "run", path: "/bin/true", args: [], env: [], user });
    const action = {
      kind: "serial",
      actions: [
        download("http://app"),
        { kind: "try", action: run("root") },
        run("vcap"),
        { kind: "upload", artifact: "", from: "/tmp/d", to: "http://u", user: "uploader" },
      ],
    } as unknown as Action;
    const definition = { setup: run("setup-user"), action };
    expect(actionUsers(definition as unknown as TaskDefinition)).toEqual([
      "setup-user",
      "vcap",
      "root",
    ]);
  });
});
