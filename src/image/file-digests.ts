/**
 * The size, md5 and sha256 of a file, read and hashed on a thread of their own (a worker whose
 * short script is given inline, so no file needs locating in the bundle). Planning a droplet's
 * layer inflates, re-roots and hashes it on the main thread; its own two digests cost as much
 * again (md5 and sha256 of a 200 MB droplet: ~0.5 s of CPU), and on a second core they cost no
 * wall time. A worker takes ~30 ms to start, so small files are not worth one (see
 * planned-layer.ts).
 */
import { Worker } from "node:worker_threads";
import { cancellation, throwIfCancelled } from "../core/cancellation.js";

export interface FileDigests {
  sizeBytes: number;
  md5Hex: string;
  sha256Hex: string;
}

/** Runs as CommonJS in the worker: `workerData` is the file's path. */
const script = `
const { parentPort, workerData } = require("node:worker_threads");
const { createHash } = require("node:crypto");
const { createReadStream } = require("node:fs");
const md5 = createHash("md5");
const sha256 = createHash("sha256");
let sizeBytes = 0;
createReadStream(workerData, { highWaterMark: 1 << 20 })
  .on("data", (chunk) => { md5.update(chunk); sha256.update(chunk); sizeBytes += chunk.length; })
  .on("error", (error) => parentPort.postMessage({ error: error.message }))
  .on("end", () => parentPort.postMessage({
    sizeBytes, md5Hex: md5.digest("hex"), sha256Hex: sha256.digest("hex"),
  }));
`;

type Answer = FileDigests | { error: string };

/** Rejects when the file cannot be read, or with our cancellation on `signal`. */
export function fileDigestsOnWorker(file: string, signal?: AbortSignal): Promise<FileDigests> {
  return new Promise((resolve, reject) => {
    throwIfCancelled(signal);
    const worker = new Worker(script, { eval: true, workerData: file });
    const onAbort = () => {
      void worker.terminate();
      if (signal) reject(cancellation(signal));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    const settle = (settleWith: () => void) => {
      signal?.removeEventListener("abort", onAbort);
      void worker.terminate();
      settleWith();
    };
    worker.once("message", (answer: Answer) => {
      if ("error" in answer) settle(() => reject(new Error(answer.error)));
      else settle(() => resolve(answer));
    });
    worker.once("error", (error) => settle(() => reject(error)));
  });
}
