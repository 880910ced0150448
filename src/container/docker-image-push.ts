/**
 * Push and pull over dockerode: the engine streams one JSON message per layer event; the
 * last ones carry the manifest digest (`aux.Digest`). Credentials travel in X-Registry-Auth
 * (dockerode's `authconfig`), never in the URL or a log.
 */
import type { Readable } from "node:stream";
import type Docker from "dockerode";
import type { PushLayerEvent, PushResult, RegistryAuth } from "./image-store.js";
import { jsonMessages, type JsonMessage } from "./json-messages.js";
import { throwIfCancelled } from "../core/cancellation.js";

interface PushOptions {
  tag: string;
  auth?: RegistryAuth | undefined;
  onLayer?: ((event: PushLayerEvent) => void) | undefined;
  signal?: AbortSignal | undefined;
}

export async function pushImage(image: Docker.Image, options: PushOptions): Promise<PushResult> {
  throwIfCancelled(options.signal);
  const stream = (await image.push({
    tag: options.tag,
    ...(options.auth ? { authconfig: options.auth } : {}),
    ...(options.signal ? { abortSignal: options.signal } : {}),
  })) as Readable;
  let result: PushResult | undefined;
  for await (const message of jsonMessages(stream)) {
    const layer = layerEvent(message);
    if (layer) options.onLayer?.(layer);
    result = digestOf(message) ?? result;
  }
  if (!result) throw new Error("the engine reported no digest for the pushed image");
  return result;
}

export async function pullImage(
  docker: Docker,
  ref: string,
  options: { auth?: RegistryAuth | undefined; signal?: AbortSignal | undefined },
): Promise<void> {
  throwIfCancelled(options.signal);
  const stream = (await docker.createImage({
    fromImage: ref,
    ...(options.auth ? { authconfig: options.auth } : {}),
    ...(options.signal ? { abortSignal: options.signal } : {}),
  })) as Readable;
  for await (const _message of jsonMessages(stream)) {
    // Drained for its errors; pull progress is not shown.
  }
}

/** A per-layer message: `{"status":"Pushing","id":"<12 hex>","progressDetail":{...}}`. */
function layerEvent(message: JsonMessage): PushLayerEvent | undefined {
  const { id, status } = message;
  if (id === undefined || status === undefined || !/^[0-9a-f]{12}$/.test(id)) return undefined;
  const detail = message.progressDetail;
  return { layer: id, status, bytes: detail?.current, totalBytes: detail?.total };
}

/** `{"aux":{"Tag":"t","Digest":"sha256:..","Size":735}}`, or the status line saying the same. */
function digestOf(message: JsonMessage): PushResult | undefined {
  const digest = message.aux?.Digest;
  if (typeof digest === "string") {
    const size = message.aux?.Size;
    return { digest, sizeBytes: typeof size === "number" ? size : 0 };
  }
  const match = /digest: (sha256:[0-9a-f]{64}) size: (\d+)/.exec(message.status ?? "");
  return match?.[1] ? { digest: match[1], sizeBytes: Number(match[2]) } : undefined;
}
