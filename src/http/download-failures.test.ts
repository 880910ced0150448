import { errors } from "undici";
import { describe, expect, it } from "vitest";
import { UnavailableError } from "../errors.js";
import { classifyDownloadFailure } from "./download-failures.js";
import { RequestTimeoutError } from "./http-transport.js";
import { RetryableFailure } from "./retry.js";

const request = {
  url: "http://user:s3cret@blobs.example:8080/read/pkg?signature=abc",
  cacheKey: "",
};

function failureOf(error: unknown): Error {
  const classified = classifyDownloadFailure(error, request);
  expect(classified).toBeInstanceOf(RetryableFailure);
  const { failure } = classified as RetryableFailure;
  expect(failure).toBeInstanceOf(UnavailableError);
  expect(failure.message).not.toMatch(/s3cret|signature|abc/);
  return failure;
}

describe("classifyDownloadFailure", () => {
  it("says which timeout fired, retryably, with the redacted URL", () => {
    expect(failureOf(new errors.HeadersTimeoutError()).message).toBe(
      "Download failed: timed out waiting for an answer from http://***@blobs.example:8080/read/pkg?…",
    );
    expect(failureOf(new errors.BodyTimeoutError()).message).toMatch(
      /^Download failed: timed out waiting for more data from http:\/\/\*\*\*@blobs\.example:8080\//,
    );
    const wrapped = new Error("pipeline failed", { cause: new RequestTimeoutError(600_000) });
    expect(failureOf(wrapped).message).toMatch(/^Download failed: timed out before the whole body/);
  });

  it("keeps the reachability wording and hint for other network errors", () => {
    const failure = failureOf(new errors.SocketError("other side closed"));
    expect(failure.message).toBe(
      "Download failed: could not fetch http://***@blobs.example:8080/read/pkg?…",
    );
    expect((failure as UnavailableError).hint).toMatch(/--resolve/);
  });
});
