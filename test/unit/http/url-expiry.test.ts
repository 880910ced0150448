import { describe, expect, it } from "vitest";
import { ExpiredUrlError } from "../../../src/http/http-errors.js";
import { findUrlExpiry } from "../../../src/http/url-expiry.js";

describe("findUrlExpiry", () => {
  it("reads expires=<unix seconds>", () => {
    expect(findUrlExpiry("https://blob/x?md5=abc&expires=1700000000")?.toISOString()).toBe(
      "2023-11-14T22:13:20.000Z",
    );
  });

  it("reads X-Amz-Date plus X-Amz-Expires", () => {
    const url = "https://s3/x?X-Amz-Date=20240131T235959Z&X-Amz-Expires=3600&X-Amz-Signature=s";
    expect(findUrlExpiry(url)?.toISOString()).toBe("2024-02-01T00:59:59.000Z");
  });

  it("reads an Azure se= time", () => {
    expect(findUrlExpiry("https://az/x?se=2024-05-01T10:00:00Z&sig=s")?.toISOString()).toBe(
      "2024-05-01T10:00:00.000Z",
    );
  });

  it("returns undefined without an expiry or for garbage", () => {
    expect(findUrlExpiry("https://h/x?a=1")).toBeUndefined();
    expect(findUrlExpiry("::")).toBeUndefined();
    expect(findUrlExpiry("https://h/x?expires=soon")).toBeUndefined();
  });
});

describe("ExpiredUrlError", () => {
  it("says the signature may be wrong when the expiry is still ahead", () => {
    const error = new ExpiredUrlError(
      401,
      "https://h/x?expires=4102444800&sig=s",
      new Date("2024-01-01T00:00:00Z"),
    );
    expect(error.message).toContain("its expiry is 2100-01-01T00:00:00.000Z");
    expect(error.message).toContain("https://h/x?…");
  });

  it("still explains a refusal when the URL carries no expiry", () => {
    const error = new ExpiredUrlError(403, "https://h/x");
    expect(error.message).toBe(
      "The server refused the signed URL https://h/x (status 403); it has probably expired",
    );
  });
});
