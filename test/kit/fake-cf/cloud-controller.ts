/**
 * Cloud Controller's internal API as seen by cc-uploader, BBS and cells: droplet and cache
 * uploads (v2 with basic auth, v4 without — mTLS in a real CF), staging job polling, the
 * CC-direct completion callback, and the v2 droplet download used by desired LRPs.
 */
import type { ArtifactStore } from "./artifact-store.js";
import { hasBasicAuth, sendUnauthorized, type Credentials } from "./basic-auth.js";
import { serveBlob } from "./blob-file.js";
import type { Blobstore } from "./blobstore.js";
import { receiveUpload, sendCcError, type UploadContext } from "./cc-uploads.js";
import { sendJson, type Exchange } from "./exchange.js";
import type { StagingJobs } from "./staging-jobs.js";
import type { TaskCallbacks } from "./task-callbacks.js";

export interface CloudControllerOptions {
  credentials: Credentials;
  store: ArtifactStore;
  blobstore: Blobstore;
  jobs: StagingJobs;
  callbacks: TaskCallbacks;
  spoolDir: string;
  /** See UploadContext.recordMd5. */
  recordMd5: boolean;
}

type Route = (ex: Exchange, params: string[], cc: CloudControllerOptions) => Promise<void>;

/** [method, path pattern, needs basic auth, handler]; the first match wins. */
const ROUTES: [string, RegExp, boolean, Route][] = [
  [
    "POST",
    /^\/staging\/droplets\/([^/]+)\/upload$/,
    true,
    (ex, [guid = ""], cc) =>
      receiveUpload(ex, droplet(ex, guid), uploadContext(ex, cc, "/staging/jobs/")),
  ],
  [
    "POST",
    /^\/staging\/v3\/droplets\/([^/]+)\/upload$/,
    true,
    (ex, [guid = ""], cc) =>
      receiveUpload(ex, droplet(ex, guid), uploadContext(ex, cc, "/staging/jobs/")),
  ],
  [
    "POST",
    /^\/internal\/v4\/droplets\/([^/]+)\/upload$/,
    false,
    (ex, [guid = ""], cc) =>
      receiveUpload(ex, droplet(ex, guid), uploadContext(ex, cc, "/internal/v4/staging_jobs/")),
  ],
  [
    "POST",
    /^\/staging\/buildpack_cache\/([^/]+)\/upload$/,
    true,
    (ex, [app = ""], cc) =>
      receiveUpload(ex, cache(ex, app, undefined), uploadContext(ex, cc, "/staging/jobs/")),
  ],
  [
    "POST",
    /^\/internal\/v4\/buildpack_cache\/([^/]+)\/([^/]+)\/upload$/,
    false,
    (ex, [stack, app = ""], cc) =>
      receiveUpload(ex, cache(ex, app, stack), uploadContext(ex, cc, "/internal/v4/staging_jobs/")),
  ],
  ["GET", /^\/internal\/v4\/staging_jobs\/([^/]+)$/, false, pollJob],
  ["GET", /^\/staging\/jobs\/([^/]+)$/, true, pollJob],
  [
    "POST",
    /^\/internal\/v3\/staging\/([^/]+)\/build_completed$/,
    false,
    (ex, [guid = ""], cc) => cc.callbacks.receive(ex, guid, false),
  ],
  ["GET", /^\/internal\/v2\/droplets\/([^/]+)\/([^/]+)\/download$/, false, downloadDroplet],
  // CC-direct era LRPs: /internal/v4/droplets/<droplet guid>/<checksum>/download (mutual TLS).
  ["GET", /^\/internal\/v4\/droplets\/([^/]+)\/([^/]+)\/download$/, false, downloadDroplet],
];

export function cloudControllerHandler(options: CloudControllerOptions) {
  return async (ex: Exchange): Promise<void> => {
    for (const [method, pattern, needsAuth, route] of ROUTES) {
      const match = pattern.exec(ex.path);
      if (match === null || (ex.method !== method && !(method === "GET" && ex.method === "HEAD")))
        continue;
      if (needsAuth && !hasBasicAuth(ex.req, options.credentials)) return sendUnauthorized(ex);
      return route(ex, match.slice(1).map(decodeURIComponent), options);
    }
    return sendCcError(ex, 404, { errorCode: "CF-NotFound", description: "Unknown request" });
  };
}

function droplet(ex: Exchange, guid: string) {
  return { kind: "droplet" as const, guid, stack: undefined, endpoint: ex.path };
}

function cache(ex: Exchange, appGuid: string, stack: string | undefined) {
  return { kind: "buildArtifacts" as const, guid: appGuid, stack, endpoint: ex.path };
}

function uploadContext(ex: Exchange, cc: CloudControllerOptions, jobPath: string): UploadContext {
  const host = ex.req.headers.host ?? "localhost";
  const scheme = "encrypted" in ex.req.socket ? "https" : "http";
  return {
    store: cc.store,
    jobs: cc.jobs,
    spoolDir: cc.spoolDir,
    recordMd5: cc.recordMd5,
    jobUrlPrefix: `${scheme}://${host}${jobPath}`,
  };
}

async function pollJob(
  ex: Exchange,
  [guid = ""]: string[],
  cc: CloudControllerOptions,
): Promise<void> {
  const job = cc.jobs.poll(guid);
  if (job === undefined)
    return sendCcError(ex, 404, {
      errorCode: "CF-NotFound",
      description: `Job not found: ${guid}`,
    });
  return sendJson(ex, 200, job);
}

/**
 * The droplet permalink. As Cloud Controller, the checksum in the path must be the current
 * droplet's (its sha256 here); any other is `404 NotFound` naming the checksum, so a stale LRP
 * cannot fetch a droplet it does not name.
 */
async function downloadDroplet(
  ex: Exchange,
  [guid = "", checksum = ""]: string[],
  cc: CloudControllerOptions,
): Promise<void> {
  const blob = cc.blobstore.get(`cc-droplets/${guid}`);
  if (blob === undefined)
    return sendCcError(ex, 404, {
      errorCode: "CF-NotFound",
      description: `Droplet not found: ${guid}`,
    });
  if (blob.sha256 !== checksum)
    return sendCcError(ex, 404, {
      errorCode: "CF-NotFound",
      description: `Unknown request: ${checksum}`,
    });
  return serveBlob(ex, blob);
}
