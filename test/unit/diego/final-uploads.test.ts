import { describe, expect, it } from "vitest";
import type { Action } from "../../../src/diego/actions.js";
import { finalUploads } from "../../../src/diego/final-uploads.js";
import { appPackageDownload, builderRun, emitProgress, uploadAction } from "../../kit/actions.js";

const upload = (artifact: string) => uploadAction(artifact);
const run = builderRun;
const download = appPackageDownload;
const progress = (action: Action) => emitProgress(action);

describe("finalUploads", () => {
  it("finds the uploads a staging task ends with, through its wrappers", () => {
    const droplet = upload("droplet");
    const cache = upload("build artifacts cache");
    const action: Action = {
      kind: "timeout",
      timeoutMs: 900_000,
      action: {
        kind: "serial",
        actions: [
          { kind: "parallel", actions: [download, upload("early")] },
          progress(run),
          progress({
            kind: "parallel",
            actions: [droplet, { kind: "try", action: cache }],
          }),
        ],
      },
    };
    expect(finalUploads(action)).toEqual(new Set([droplet, cache]));
  });

  it("is undefined unless everything that can still run is an upload", () => {
    expect(finalUploads(undefined)).toBeUndefined();
    expect(finalUploads(run)).toBeUndefined();
    expect(finalUploads({ kind: "serial", actions: [upload("a"), run] })).toBeUndefined();
    // A run beside the upload may still use the container after the upload's file is out.
    expect(finalUploads({ kind: "parallel", actions: [upload("a"), run] })).toBeUndefined();
    expect(finalUploads({ kind: "codependent", actions: [download, upload("a")] })).toBeUndefined();
    expect(finalUploads({ kind: "serial", actions: [] })).toBeUndefined();
    expect(
      finalUploads({ kind: "serial", actions: [upload("a"), { kind: "parallel", actions: [] }] }),
    ).toBeUndefined();
  });

  it("takes a lone upload and a codependent group of uploads", () => {
    const a = upload("a");
    const b = upload("b");
    expect(finalUploads(a)).toEqual(new Set([a]));
    expect(finalUploads({ kind: "codependent", actions: [a, progress(b)] })).toEqual(
      new Set([a, b]),
    );
  });
});
