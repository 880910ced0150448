/**
 * Carrier images (src/image/droplet-carrier.ts) that restages which are gone left: a run removes
 * its own carrier, but one killed while its droplet was uploaded cannot. Judged by the owner
 * label like the other leftovers (leftovers.ts): only a gone owner's carrier is removed; an
 * owner this process cannot judge (another host or pid namespace) keeps it.
 */
import type { ImageStore } from "../../container/image-store.js";
import { LabelKey } from "../../core/labels.js";
import { dropletCarrierKind } from "../../image/droplet-carrier.js";
import { ownerState } from "../../owner/run-owner.js";

/** Removes the carriers of gone owners; answers how many went. */
export async function reapCarriers(
  images: Pick<ImageStore, "findImages" | "untag">,
): Promise<number> {
  const carriers = await images.findImages(LabelKey.kind, dropletCarrierKind);
  const gone = carriers.filter((found) => ownerState(found.labels[LabelKey.owner]) === "gone");
  for (const carrier of gone) await images.untag(carrier.id);
  return gone.length;
}
