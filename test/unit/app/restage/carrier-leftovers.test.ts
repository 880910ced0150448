import { describe, expect, it } from "vitest";
import { reapCarriers } from "../../../../src/app/restage/carrier-leftovers.js";
import type { FoundImage } from "../../../../src/container/image-store.js";
import { currentOwner, formatOwner } from "../../../../src/owner/run-owner.js";
import { recordingImages } from "../../../kit/recording-images.js";

function carrier(id: string, owner: string): FoundImage {
  const labels = { "io.restager.kind": "droplet-carrier", "io.restager.owner": owner };
  return { id, repoTags: [], labels, created: 0, sizeBytes: 0 };
}

describe("reapCarriers", () => {
  it("removes the carriers of gone restagers only", async () => {
    const me = currentOwner();
    // This pid with another start time: a process that is gone (its pid since reused).
    const gone = formatOwner({ ...me, start: me.start + 1 });
    const found = [
      carrier("sha256:gone", gone),
      carrier("sha256:alive", formatOwner(me)),
      carrier("sha256:elsewhere", "other-machine/12/34"),
      carrier("sha256:unlabelled", ""),
    ];
    const { images, asked, removed } = recordingImages(found);
    expect(await reapCarriers(images)).toBe(1);
    expect(asked).toEqual(["io.restager.kind=droplet-carrier"]);
    expect(removed).toEqual(["sha256:gone"]);
  });
});
