import { describe, expect, it } from "vitest";
import { ownerOf, pendingTag, reapPendingTags } from "../../../../src/app/restage/pending-tag.js";
import type { FoundImage } from "../../../../src/container/image-store.js";
import { currentOwner } from "../../../../src/owner/run-owner.js";
import { recordingImages } from "../../../kit/recording-images.js";

function image(id: string, repoTags: string[]): FoundImage {
  return { id, repoTags, labels: { "io.restager.managed": "true" }, created: 0, sizeBytes: 0 };
}

describe("pending image names", () => {
  it("name the run that made them, as a valid local tag", () => {
    const me = currentOwner();
    const tag = pendingTag();
    expect(tag).toMatch(/^restager-pending:[\w][\w.-]{0,127}$/);
    expect(ownerOf(tag)).toEqual(me);
    expect(pendingTag()).not.toBe(tag);
    expect(ownerOf("restager/app:latest")).toBeUndefined();
    // Made on another machine (or pid namespace): not judged here.
    expect(ownerOf(tag.replace(/:[0-9a-f]{8}\./, ":00000000."))).toBeUndefined();
  });

  it("of gone runs are removed, and nothing else", async () => {
    const me = currentOwner();
    const gone = pendingTag({ ...me, start: me.start + 1 });
    const mine = pendingTag();
    const found = [
      image("sha256:a", [gone]),
      image("sha256:b", ["restager/app:latest", mine]),
      image("sha256:c", ["restager/app:0123456789ab"]),
    ];
    const { images, asked, removed } = recordingImages(found);
    expect(await reapPendingTags(images)).toBe(1);
    expect(asked).toEqual(["io.restager.managed=true"]);
    expect(removed).toEqual([gone]);
  });
});
