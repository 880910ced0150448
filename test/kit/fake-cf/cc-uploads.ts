/**
 * Cloud Controller's internal upload endpoints (docs/diego.md §5.3): a multipart body with the
 * file in field `file` (v3/v4) or `upload[droplet]` (v2), checked against Content-Digest /
 * Content-MD5, then stored. Droplets posted with `async=true` answer a queued job.
 */
import { rm } from "node:fs/promises";
import type { ArtifactInfo, ArtifactStore } from "./artifact-store.js";
import { sendJson, type Exchange } from "./exchange.js";
import { checkedHash, headerValue, integrityProblem } from "./integrity.js";
import { readMultipartForm } from "./multipart-form.js";
import { boundaryOf, MultipartError } from "./multipart-tokenizer.js";
import type { StagingJobs } from "./staging-jobs.js";

const FILE_FIELDS = ["file", "upload[droplet]"];

export interface UploadContext {
  store: ArtifactStore;
  jobs: StagingJobs;
  spoolDir: string;
  /** Hash every upload with MD5 too, not only when its check needs it (FakeCfOptions.recordMd5). */
  recordMd5: boolean;
  /** The job URL prefix for this API version, e.g. `http://host:port/internal/v4/staging_jobs/`. */
  jobUrlPrefix: string;
}

export async function receiveUpload(
  ex: Exchange,
  info: Omit<ArtifactInfo, "contentMd5" | "contentDigest">,
  context: UploadContext,
): Promise<void> {
  const boundary = boundaryOf(ex.req.headers["content-type"]);
  if (boundary === undefined)
    return sendCcError(ex, 400, {
      errorCode: "CF-InvalidRequest",
      description: "expected multipart/form-data",
    });
  // SHA-256 always: it is the stored droplet's download checksum and the cache's ETag.
  const md5 = context.recordMd5 || checkedHash(ex.req.headers) === "md5";
  let form;
  try {
    const files = { tempDir: context.spoolDir, digests: { md5 } };
    form = await readMultipartForm(ex.body, boundary, files);
  } catch (error) {
    if (!(error instanceof MultipartError)) throw error;
    return sendCcError(ex, 400, { errorCode: "CF-InvalidRequest", description: error.message });
  }
  const file = form.files.find((f) => FILE_FIELDS.includes(f.field));
  await Promise.all(
    form.files.filter((f) => f !== file).map((f) => rm(f.filePath, { force: true })),
  );
  if (file === undefined)
    return sendCcError(ex, 400, {
      errorCode: "CF-StagingError",
      description: "Staging error: no file part named file",
    });
  const problem = integrityProblem(ex.req.headers, file.digests);
  if (problem !== undefined) {
    await rm(file.filePath, { force: true });
    return sendCcError(ex, 400, {
      errorCode: "CF-StagingError",
      description: `Staging error: ${problem}`,
    });
  }
  const contentMd5 = headerValue(ex.req.headers["content-md5"]);
  const contentDigest = headerValue(ex.req.headers["content-digest"]);
  await context.store.keep(file, { ...info, contentMd5, contentDigest });
  if (info.kind === "droplet" && ex.query.get("async") !== "true") return sendJson(ex, 200, {});
  return sendJson(ex, 200, context.jobs.create(context.jobUrlPrefix));
}

/** CC's v2-style error body, e.g. `{"code":170001,"description":"...","error_code":"CF-StagingError"}`. */
export function sendCcError(
  ex: Exchange,
  status: number,
  error: { errorCode: string; description: string },
): Promise<void> {
  const code = error.errorCode === "CF-StagingError" ? 170001 : 10008;
  return sendJson(ex, status, {
    code,
    description: error.description,
    error_code: error.errorCode,
  });
}
