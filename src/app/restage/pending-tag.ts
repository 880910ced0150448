/**
 * The temporary name of an image restage builds ahead (droplet-ahead.ts): an image the engine
 * holds must have a name, or nothing could tell it from garbage once its run is gone. The tag
 * says whose it is, `restager-pending:<machine digest>.<pid>.<start ticks>.<random>`, so that a
 * later run removes the names a killed run left (reapPendingTags), as it does carriers. The
 * name is only ever local: nothing pushes it.
 */
import { createHash, randomBytes } from "node:crypto";
import type { ImageStore } from "../../container/image-store.js";
import { ImageLabel } from "../../image/image-labels.js";
import { currentOwner, ownerState, type RunOwner } from "../../owner/run-owner.js";

const repository = "restager-pending";

export function pendingTag(owner: RunOwner = currentOwner()): string {
  const random = randomBytes(4).toString("hex");
  return `${repository}:${machineDigest(owner.machine)}.${owner.pid}.${owner.start}.${random}`;
}

/** Removes the pending names of gone runs (an image no other name holds goes with its name). */
export async function reapPendingTags(
  images: Pick<ImageStore, "findImages" | "untag">,
): Promise<number> {
  const found = await images.findImages(ImageLabel.managed, "true");
  // A name that is not a pending one, or made elsewhere, has no owner here: "unknown", kept.
  const gone = found
    .flatMap((image) => image.repoTags)
    .filter((tag) => ownerState(ownerOf(tag)) === "gone");
  for (const tag of gone) await images.untag(tag);
  return gone.length;
}

/** The owner a pending name was made by, when it was made on this machine. */
export function ownerOf(tag: string): RunOwner | undefined {
  const match = new RegExp(`^${repository}:([0-9a-f]{8})\\.(\\d+)\\.(\\d+)\\.[0-9a-f]+$`).exec(tag);
  const me = currentOwner();
  if (!match || match[1] !== machineDigest(me.machine)) return undefined;
  return { machine: me.machine, pid: Number(match[2]), start: Number(match[3]) };
}

function machineDigest(machine: string): string {
  return createHash("sha256").update(machine).digest("hex").slice(0, 8);
}
