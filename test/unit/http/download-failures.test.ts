import { describe, expect, it } from "vitest";
import type { RestagerError } from "../../../src/errors.js";
import { classifyDownloadFailure } from "../../../src/http/download-failures.js";
import { RetryableFailure } from "../../../src/http/retry.js";

const request = {
  url: "http://file-server.service.cf.internal:8080/v1/static/x.tgz",
  cacheKey: "",
};

function hintFor(code: string): string | undefined {
  const error = Object.assign(new Error("boom"), { code });
  const failure = classifyDownloadFailure(error, request);
  expect(failure).toBeInstanceOf(RetryableFailure);
  return ((failure as RetryableFailure).failure as RestagerError).hint;
}

describe("classifyDownloadFailure hints", () => {
  it.each(["ENOTFOUND", "ECONNREFUSED", "EHOSTUNREACH", "UND_ERR_CONNECT_TIMEOUT"])(
    "points at reachability and --resolve when the connection never reached a server (%s)",
    (code) => {
      expect(hintFor(code)).toMatch(/^Check that the server is reachable.*--resolve/);
    },
  );

  it.each(["UND_ERR_SOCKET", "ECONNRESET", "EPIPE"])(
    "does not, when the host answered and then hung up (%s)",
    (code) => {
      expect(hintFor(code)).toBe(
        "The server accepted the connection, then closed it; check its logs and load",
      );
    },
  );
});
