import { readdirSync, readFileSync } from "node:fs";
import { JSONPath } from "jsonpath-plus";
import { describe, expect, it } from "vitest";
import { classifyLine } from "../../../../src/request-input/scrape/classify-line.js";
import { parseLagerLine } from "../../../../src/request-input/scrape/lager-line.js";
import { queries, type QueryName } from "../../../../src/request-input/scrape/queries.js";

const logs = new URL("../../../../fixtures/logs/", import.meta.url);

/** The payload and the lager `data` of every request line of the plain fixture logs. */
function fixtureDocuments(): object[] {
  const documents: object[] = [];
  for (const name of readdirSync(logs).filter((file) => file.endsWith(".log"))) {
    for (const text of readFileSync(new URL(name, logs), "utf8").split("\n")) {
      const entry = parseLagerLine(text);
      const classified = entry && classifyLine(entry);
      if (entry === undefined || classified === undefined || classified === "payloadless") continue;
      documents.push(classified.payload, entry.data);
    }
  }
  return documents;
}

const vcap = (name: string) => ({
  name: "VCAP_APPLICATION",
  value: `{"application_name":"${name}"}`,
});

/** Shapes the fixtures lack: env as an object, nested and null entries, odd values. */
const edgeCases: unknown[] = [
  { env: { a: vcap("object-env"), b: null, c: "VCAP_APPLICATION" } },
  { env: [vcap("outer")], action: { run: { env: [null, 3, vcap("inner"), { name: "X" }] } } },
  { env: [{ name: "VCAP_APPLICATION" }, { name: "VCAP_APPLICATION", value: 7 }] },
  { list: [[{ env: [vcap("in-array")] }], null, "env"], env: "not a list" },
  { environment: [vcap("cc")], lifecycle_data: { stack: "cflinuxfs4" }, stack: null },
  { lifecycle_data: "cflinuxfs4", rootfs: "", root_fs: 1, "app-id": ["x"] },
  [vcap("root-array")],
  { env: [vcap("a")], nested: { env: [vcap("b")], deeper: { env: { x: vcap("c") } } } },
];

describe("queries", () => {
  const documents = [...fixtureDocuments(), ...edgeCases];

  it("reads request lines from the fixtures", () => {
    expect(documents.length).toBeGreaterThan(edgeCases.length + 10);
  });

  it.each(Object.keys(queries) as QueryName[])(
    "%s gives what jsonpath-plus gives for its expression",
    (name) => {
      const { path, select } = queries[name];
      for (const json of documents) {
        const expected: unknown = JSONPath({
          path,
          json: json as object,
          wrap: true,
          eval: "safe",
        });
        expect(select(json), `${path} on ${JSON.stringify(json).slice(0, 120)}`).toEqual(expected);
      }
    },
  );

  it("finds VCAP_APPLICATION in the run action's env of a BBS task (document order)", () => {
    const nested = edgeCases[7] as object;
    expect(queries.vcapApplicationInEnv.select(nested)).toEqual([
      vcap("a").value,
      vcap("b").value,
      vcap("c").value,
    ]);
  });
});
