import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  orderRotatedSets,
  withRotatedSiblings,
} from "../../../../src/request-input/scrape/rotated-files.js";

describe("orderRotatedSets", () => {
  it("reads each rotated set oldest first, at the position of its first member", () => {
    const given = ["a.log", "a.log.1", "other.log", "a.log.10.gz", "a.log.2.gz", "a.log.gz"];
    expect(orderRotatedSets(given)).toEqual([
      "a.log.10.gz",
      "a.log.2.gz",
      "a.log.1",
      "a.log.gz",
      "a.log",
      "other.log",
    ]);
  });

  it("keeps unrelated files in the order given and drops repeats", () => {
    expect(orderRotatedSets(["z.log", "b.log", "z.log"])).toEqual(["z.log", "b.log"]);
  });
});

describe("withRotatedSiblings", () => {
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "restager-rotated-"));
    for (const name of ["s.log", "s.log.1", "s.log.2.gz", "s.log.old", "s.logger", "t.log"]) {
      await writeFile(join(dir, name), "");
    }
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("finds numbered and compressed siblings only, oldest first", () => {
    expect(withRotatedSiblings(join(dir, "s.log"))).toEqual(
      ["s.log.2.gz", "s.log.1", "s.log"].map((name) => join(dir, name)),
    );
  });

  it("returns nothing for a missing directory", () => {
    expect(withRotatedSiblings(join(dir, "missing", "x.log"))).toEqual([]);
  });
});
