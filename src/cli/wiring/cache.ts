/** The composition root of `cache`: Docker's volume and image stores, the download cache dir. */
import { cacheContents, type CacheRequest } from "../../app/cache.js";
import { DockerImageStore } from "../../container/docker-image-store.js";
import { DockerRuntime } from "../../container/docker-runtime.js";
import { defaultCacheDir } from "../../http/default-cache-dir.js";
import type { Output } from "../output.js";
import { printCacheReport } from "../print-cache.js";

export async function runCache(
  output: Output,
  request: Omit<CacheRequest, "cacheDir"> & { cacheDir?: string | undefined; json: boolean },
): Promise<void> {
  const { env } = output;
  const report = await cacheContents(
    { ...request, cacheDir: request.cacheDir ?? defaultCacheDir(env) },
    {
      stores: () => ({
        volumes: new DockerRuntime({ env }).volumes,
        images: new DockerImageStore({ env }),
      }),
    },
  );
  printCacheReport(output, report, request.json);
}
