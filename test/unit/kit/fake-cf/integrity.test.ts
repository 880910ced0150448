import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { checkedHash, integrityProblem } from "../../../kit/fake-cf/integrity.js";

const body = Buffer.from("hello");
const md5 = createHash("md5").update(body).digest("base64");
const sha256 = createHash("sha256").update(body).digest("base64");
const digests = {
  size: body.length,
  md5: createHash("md5").update(body).digest("hex"),
  sha256: createHash("sha256").update(body).digest("hex"),
};

const cases: [Record<string, string>, "md5" | "sha256" | undefined][] = [
  [{}, undefined],
  [{ "content-md5": "", "content-digest": "" }, undefined],
  [{ "content-md5": md5 }, "md5"],
  [{ "content-md5": sha256 }, "md5"],
  [{ "content-md5": md5, "content-digest": `sha-256=:${sha256}:` }, "sha256"],
  [{ "content-md5": md5, "content-digest": `sha-256=:${md5}:` }, "sha256"],
  [{ "content-digest": `sha256=:${sha256}:` }, "sha256"],
  [{ "content-digest": `md5=:${md5}:` }, "md5"],
  // Refused before any hash is compared: malformed, or an algorithm the fake does not hash.
  [{ "content-md5": md5, "content-digest": `sha-256 ${sha256}` }, undefined],
  [{ "content-digest": "sha-512=:AA==:" }, undefined],
  [{ "content-digest": "crc32=:AA==:" }, undefined],
];

describe("checkedHash", () => {
  it.each(cases)("names the hash CC's check compares for %j", (headers, expected) => {
    expect(checkedHash(headers)).toBe(expected);
  });

  it.each(cases)("leaves integrityProblem's answer for %j unchanged", (headers, hash) => {
    const only = {
      size: digests.size,
      md5: hash === "md5" ? digests.md5 : "",
      sha256: hash === "sha256" ? digests.sha256 : "",
    };
    expect(integrityProblem(headers, only)).toBe(integrityProblem(headers, digests));
  });
});
