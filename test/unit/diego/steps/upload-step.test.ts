import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import {
  CancelledError,
  ExitCode,
  InvalidInputError,
  RestagerError,
} from "../../../../src/errors.js";
import { fakeStepWorld } from "../../../kit/fake-ports.js";
import type { UploadAction } from "../../../../src/diego/actions.js";
import type { UploadSettledEvent } from "../../../../src/diego/steps/step-context.js";
import { EmittableError, UploadStepError } from "../../../../src/diego/steps/step-errors.js";
import { UploadStep } from "../../../../src/diego/steps/upload-step.js";

const TO = "https://cc-uploader.internal:9091/v1/droplet/abc?cc-droplet-upload-uri=x&sig=s3cr3t";

function upload(overrides: Partial<UploadAction> = {}): UploadAction {
  return {
    kind: "upload",
    artifact: "droplet",
    from: "/tmp/droplet",
    to: TO,
    user: "vcap",
    ...overrides,
  };
}

type World = ReturnType<typeof fakeStepWorld>;
const run = (world: World, action = upload()) =>
  new UploadStep(action, world.ctx).run(new AbortController().signal);

describe("UploadStep", () => {
  it("posts the file with its size and digests and prints Uploading/Uploaded", async () => {
    const world = fakeStepWorld();
    const droplet = Buffer.alloc(1536, 7);
    world.container.writeFile("/tmp/droplet", droplet, { uid: 2000, gid: 2000 });
    await run(world);
    expect(world.uploader.uploads).toEqual([
      {
        url: TO,
        body: droplet,
        sizeBytes: 1536,
        md5Base64: createHash("md5").update(droplet).digest("base64"),
        sha256Base64: createHash("sha256").update(droplet).digest("base64"),
      },
    ]);
    expect(world.log.transcript()).toEqual([
      "[STG] OUT Uploading droplet...",
      "[STG] OUT Uploaded droplet (1.5K)",
    ]);
    expect(world.log.progressEvents.map((p) => p.event.kind)).toEqual([
      "upload-start",
      "upload-progress",
      "upload-done",
    ]);
    expect(world.archives.released).toBe(1);
  });

  it("reads a regular file straight from a container on this host, and uploads the same", async () => {
    const world = fakeStepWorld();
    const droplet = Buffer.alloc(3000, 9);
    world.container.writeFile("/tmp/droplet", droplet, { uid: 2000, gid: 2000 });
    world.container.openable.add("/tmp/droplet");
    await run(world);
    expect(world.container.opened).toEqual(["/tmp/droplet"]);
    expect(world.uploader.uploads).toEqual([
      {
        url: TO,
        body: droplet,
        sizeBytes: 3000,
        md5Base64: createHash("md5").update(droplet).digest("base64"),
        sha256Base64: createHash("sha256").update(droplet).digest("base64"),
      },
    ]);
    expect(world.log.transcript()).toEqual([
      "[STG] OUT Uploading droplet...",
      "[STG] OUT Uploaded droplet (2.9K)",
    ]);
  });

  it("upload sends only the first tar entry", async () => {
    const world = fakeStepWorld();
    world.container.setArchive("/tmp/droplet", [
      { path: "droplet", type: "File", content: Buffer.from("first") },
      { path: "other", type: "File", content: Buffer.from("second entry, never sent") },
    ]);
    await run(world);
    expect(world.uploader.uploads.map((u) => u.body.toString())).toEqual(["first"]);
  });

  it("upload progress lines are printed only when artifact is set", async () => {
    const world = fakeStepWorld();
    world.container.writeFile("/tmp/droplet", "bits");
    await run(world, upload({ artifact: "" }));
    expect(world.log.entries).toEqual([]);
    expect(world.log.progressEvents).toEqual([]);
    expect(world.uploader.uploads).toHaveLength(1);
  });

  it("a failed upload prints 'Failed to upload payload for <artifact>' and keeps the uploader's exit code", async () => {
    const world = fakeStepWorld();
    world.container.writeFile("/tmp/droplet", "bits");
    const cause = new RestagerError("Upload failed: Status code 403", ExitCode.expired, {
      hint: "Capture a fresh request",
    });
    world.uploader.failNext = cause;
    const error = await run(world).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UploadStepError);
    expect(error).not.toBeInstanceOf(EmittableError);
    expect(error).toMatchObject({
      message: "Upload failed: Status code 403",
      exitCode: ExitCode.expired,
      hint: "Capture a fresh request",
      cause,
    });
    expect(world.log.lines("err")).toEqual(["Failed to upload payload for droplet"]);
    expect(world.log.transcript().join("\n")).not.toContain("s3cr3t");
    expect(world.archives.released).toBe(1);
  });

  it("an unknown uploader failure exits with uploadFailed and shows no raw message", async () => {
    const world = fakeStepWorld();
    world.container.writeFile("/tmp/droplet", "bits");
    world.uploader.failNext = new Error(`connect ECONNREFUSED ${TO}`);
    const error = (await run(world).catch((e: unknown) => e)) as UploadStepError;
    expect(error.message).toBe("Failed to upload payload for droplet");
    expect(error.exitCode).toBe(ExitCode.uploadFailed);
  });

  it("a missing `from` fails with 'Failed to establish stream from container for <artifact>'", async () => {
    const world = fakeStepWorld();
    const error = await run(world).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmittableError);
    expect((error as Error).message).toBe("Failed to establish stream from container for droplet");
    expect(world.log.lines("err")).toEqual([
      "Failed to establish stream from container for droplet",
    ]);
    expect(world.uploader.uploads).toEqual([]);
  });

  it("a directory (first entry not a file) fails with 'Failed to find first item in tar stream'", async () => {
    const world = fakeStepWorld();
    world.container.setArchive("/tmp/droplet", [{ path: "droplet/", type: "Directory" }]);
    await expect(run(world, upload({ artifact: "" }))).rejects.toThrow(
      /^Failed to find first item in tar stream$/,
    );
    expect(world.log.entries).toEqual([]);
  });

  it("refuses a `to` that is not an absolute URL without printing it", async () => {
    const world = fakeStepWorld();
    const error = await run(world, upload({ to: "not a url?sig=s3cr3t" })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as Error).message).toBe("Failed to parse URL for droplet");
    expect(world.log.transcript().join("\n")).not.toContain("s3cr3t");
  });

  it("hands the spooled file to onUploadSettled before releasing it, on success and on failure", async () => {
    const seen: { artifact: string; from: string; body: string; error: unknown }[] = [];
    const onUploadSettled = async (event: UploadSettledEvent) => {
      const body = await readFile(event.file.path, "utf8");
      seen.push({ artifact: event.artifact, from: event.from, body, error: event.error });
    };
    const world = fakeStepWorld({ onUploadSettled });
    world.container.writeFile("/tmp/droplet", "droplet bits");
    await run(world);
    const failure = new Error("Upload failed: Status code 500");
    world.uploader.failNext = failure;
    await expect(run(world)).rejects.toBeInstanceOf(UploadStepError);
    expect(seen).toHaveLength(2);
    expect(seen[0]).toEqual({
      artifact: "droplet",
      from: "/tmp/droplet",
      body: "droplet bits",
      error: undefined,
    });
    expect(seen[1]?.body).toBe("droplet bits");
    expect((seen[1]?.error as UploadStepError).cause).toBe(failure);
    expect(world.archives.released).toBe(2);
  });

  it("tells onUploadSpooled of the spooled file before it is uploaded", async () => {
    const seen: { artifact: string; body: string; uploadsSoFar: number }[] = [];
    const world = fakeStepWorld({
      onUploadSpooled: (event) => {
        seen.push({
          artifact: event.artifact,
          body: readFileSync(event.file.path, "utf8"),
          uploadsSoFar: world.uploader.uploads.length,
        });
      },
    });
    world.container.writeFile("/tmp/droplet", "droplet bits");
    await run(world);
    expect(seen).toEqual([{ artifact: "droplet", body: "droplet bits", uploadsSoFar: 0 }]);
    expect(world.uploader.uploads).toHaveLength(1);
  });

  it("a failing onUploadSettled fails a successful upload, but never hides an upload failure", async () => {
    const hookError = new Error("disk full");
    const world = fakeStepWorld({ onUploadSettled: () => Promise.reject(hookError) });
    world.container.writeFile("/tmp/droplet", "bits");
    await expect(run(world)).rejects.toBe(hookError);
    world.uploader.failNext = new Error("Upload failed: Status code 500");
    await expect(run(world)).rejects.toBeInstanceOf(UploadStepError);
    expect(world.debug.map((d) => d.event)).toContain("upload-settled-hook-failed");
    expect(world.archives.released).toBe(2);
  });

  it("an abort during the upload rejects with the cancellation and prints no error", async () => {
    const world = fakeStepWorld();
    world.container.writeFile("/tmp/droplet", "bits");
    world.uploader.hang = true;
    const controller = new AbortController();
    const running = new UploadStep(upload(), world.ctx).run(controller.signal);
    while (world.uploader.uploads.length === 0) await new Promise((r) => setImmediate(r));
    const reason = new CancelledError();
    controller.abort(reason);
    await expect(running).rejects.toBe(reason);
    expect(world.log.lines("err")).toEqual([]);
    expect(world.archives.released).toBe(1);
  });
});
