/**
 * An image store that answers every `findImages` with `found` and records what was asked and
 * which references were untagged: for the leftover sweeps, which only list and untag.
 */
import type { FoundImage, ImageStore } from "../../src/container/image-store.js";

export function recordingImages(found: FoundImage[]) {
  const asked: string[] = [];
  const removed: string[] = [];
  const images: Pick<ImageStore, "findImages" | "untag"> = {
    findImages: (label: string, value?: string) => {
      asked.push(`${label}=${value}`);
      return Promise.resolve(found);
    },
    untag: (ref: string) => (removed.push(ref), Promise.resolve()),
  };
  return { images, asked, removed };
}
