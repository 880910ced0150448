import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runImage, type ImageOptions } from "../../../src/app/image.js";
import type { ImageStore } from "../../../src/container/image-store.js";
import { ImageMissingError } from "../../../src/container/image-missing-error.js";
import { ExitCode, InvalidInputError, NoInputError, UsageError } from "../../../src/errors.js";
import { RecordingProgress } from "../../kit/recording-progress.js";

/** An image store that records what it was asked and has no stack image. */
function emptyImages(): ImageStore & { asked: string[] } {
  const asked: string[] = [];
  const none = (ref: string) => {
    asked.push(ref);
    return Promise.resolve(undefined);
  };
  const refuse = () => Promise.reject(new Error("not expected"));
  return {
    asked,
    inspect: none,
    exportImage: refuse,
    load: refuse,
    tag: refuse,
    push: refuse,
    pull: refuse,
  } as unknown as ImageStore & { asked: string[] };
}

let dir: string;
let droplet: string;
let lifecycle: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "image-use-case-"));
  droplet = join(dir, "droplet.tgz");
  lifecycle = join(dir, "lifecycle.tgz");
  await writeFile(droplet, "not read in these tests");
  await writeFile(lifecycle, "not read in these tests");
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function options(overrides: Partial<ImageOptions> = {}): ImageOptions {
  return {
    dropletPath: droplet,
    lifecyclePath: lifecycle,
    stackImage: "restager/cflinuxfs4:latest",
    appName: "my-app",
    publishing: {},
    env: {},
    signal: new AbortController().signal,
    ...overrides,
  };
}

describe("runImage", () => {
  it("names the flag of a missing input and builds nothing", async () => {
    const images = emptyImages();
    const progress = new RecordingProgress();
    const missing = join(dir, "nope.tgz");
    const error = await runImage(options({ lifecyclePath: missing }), { images, progress }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(NoInputError);
    expect((error as NoInputError).message).toBe(`Cannot read --lifecycle ${missing}`);
    expect(images.asked).toEqual([]);
    expect(progress.phases).toEqual([]);
  });

  it("refuses a --result that is not JSON before building", async () => {
    const images = emptyImages();
    const result = join(dir, "result.json");
    await writeFile(result, "{ not json");
    const error = await runImage(options({ resultPath: result }), {
      images,
      progress: new RecordingProgress(),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).message).toBe(`--result ${result} is not JSON`);
    expect(images.asked).toEqual([]);
  });

  it("refuses a bad --registry before building", async () => {
    const images = emptyImages();
    const publishing = { push: true, registry: "not a host!" };
    const error = await runImage(options({ publishing }), {
      images,
      progress: new RecordingProgress(),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(ExitCode.usage);
    expect(images.asked).toEqual([]);
  });

  it("builds on the stack image it was given", async () => {
    const images = emptyImages();
    const progress = new RecordingProgress();
    const error = await runImage(options(), { images, progress }).catch((e: unknown) => e);
    // The fake engine has no stack image: the build stops at its first question.
    expect(error).toBeInstanceOf(ImageMissingError);
    expect(images.asked).toEqual(["restager/cflinuxfs4:latest"]);
    expect(progress.phases).toEqual([]);
  });
});
