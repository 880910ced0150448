import type { ProgressEvent } from "../core/events.js";

/** Reports at most every this many bytes, so a layer of small files makes few events. */
const stepBytes = 1024 * 1024;

/** A byte counter for one streamed layer that reports upload-style progress events. */
export function layerProgress(
  artifact: string,
  totalBytes: number,
  onProgress: ((event: ProgressEvent) => void) | undefined,
): (bytes: number) => void {
  if (!onProgress) return () => undefined;
  let bytes = 0;
  let reported = 0;
  return (chunkBytes) => {
    if (bytes === 0) onProgress({ kind: "upload-start", artifact, totalBytes });
    bytes += chunkBytes;
    if (bytes - reported >= stepBytes || bytes >= totalBytes) {
      reported = bytes;
      onProgress({ kind: "upload-progress", artifact, bytes, totalBytes });
    }
    if (bytes >= totalBytes) onProgress({ kind: "upload-done", artifact, bytes });
  };
}
