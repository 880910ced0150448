import { describe, expect, it } from "vitest";
import { NoInputError } from "../errors.js";
import { FakeAppRuntime } from "../testing/fake-app-runtime.js";
import { resolveAppImage } from "./app-image.js";

const app = { name: "hello", guid: "g-1" };
const image = (ref: string, guid: string, createdMs: number) => ({
  id: `sha256:${ref}`,
  ref,
  createdMs,
  labels: { "io.restager.app-guid": guid },
});

describe("the image of a launch", () => {
  it("is the newest image labelled with the app's guid", async () => {
    const runtime = new FakeAppRuntime();
    runtime.images = [image("old", "g-1", 1), image("new", "g-1", 2), image("other", "g-2", 3)];
    expect((await resolveAppImage(runtime, app)).ref).toBe("new");
  });

  it("is --image when given, which must exist", async () => {
    const runtime = new FakeAppRuntime();
    runtime.images = [image("mine", "g-9", 1)];
    expect((await resolveAppImage(runtime, app, "mine")).ref).toBe("mine");
    await expect(resolveAppImage(runtime, app, "missing")).rejects.toBeInstanceOf(NoInputError);
  });

  it("names the restage command when the app has no image", async () => {
    const failing = resolveAppImage(new FakeAppRuntime(), app);
    await expect(failing).rejects.toThrow(
      "No image of the app hello (g-1) was found in the Docker engine",
    );
    await expect(failing).rejects.toMatchObject({
      hint: expect.stringMatching(/restage <staging task>.*--image/) as unknown,
    });
  });
});
