/**
 * A file's size, md5 and sha256 computed on another thread: planning a droplet layer keeps the
 * main thread busy (tar parsing, the layer's own sha256, the spool), and hashing the file's own
 * bytes beside it uses the machine's other core instead of adding to the plan's time. The worker
 * reads the file itself (the page cache holds it, as planning reads it at the same time).
 */
import { Worker } from "node:worker_threads";
import { cancellation } from "../core/cancellation.js";
import type { FileDigests } from "./planned-layer.js";

/** CommonJS source of the worker (an eval'd worker: no separate file for the build to find). */
const workerSource = `
const { createHash } = require("node:crypto");
const { createReadStream } = require("node:fs");
const { parentPort, workerData } = require("node:worker_threads");
const md5 = createHash("md5");
const sha256 = createHash("sha256");
let sizeBytes = 0;
createReadStream(workerData.file, { highWaterMark: 1024 * 1024 })
  .on("data", (chunk) => {
    md5.update(chunk);
    sha256.update(chunk);
    sizeBytes += chunk.length;
  })
  .on("error", (error) => parentPort.postMessage({ error: error.message }))
  .on("end", () =>
    parentPort.postMessage({ sizeBytes, md5Hex: md5.digest("hex"), sha256Hex: sha256.digest("hex") }),
  );
`;

type WorkerAnswer = FileDigests | { error: string };

export function fileDigests(file: string, signal?: AbortSignal): Promise<FileDigests> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerSource, { eval: true, workerData: { file } });
    const abort = (): void => {
      void worker.terminate();
      reject(cancellation(signal as AbortSignal));
    };
    signal?.addEventListener("abort", abort, { once: true });
    const settle = (): void => signal?.removeEventListener("abort", abort);
    worker.once("message", (answer: WorkerAnswer) => {
      settle();
      void worker.terminate();
      if ("error" in answer) reject(new Error(answer.error));
      else resolve(answer);
    });
    worker.once("error", (error) => {
      settle();
      reject(error);
    });
  });
}
