import { describe, expect, it } from "vitest";
import { stackNameOf } from "../../../src/image/build-metadata.js";
import { factsFromResult, factsFromStagingInfo } from "../../../src/image/image-metadata.js";

describe("staging facts", () => {
  it("reads process types and buildpacks from result.json", () => {
    const facts = factsFromResult({
      lifecycle_metadata: {
        buildpack_key: "k2",
        detected_buildpack: "ruby",
        buildpacks: [
          { key: "k1", name: "node_buildpack" },
          { key: "k2", name: "ruby_buildpack", version: "1.10.0" },
        ],
      },
      process_types: { worker: "sidekiq", web: "rackup -p $PORT" },
    });
    expect(facts).toEqual({
      processTypes: { web: "rackup -p $PORT", worker: "sidekiq" },
      buildpacks: [
        { name: "node_buildpack", version: "", key: "k1" },
        { name: "ruby_buildpack", version: "1.10.0", key: "k2" },
      ],
    });
  });

  it("falls back to detected_buildpack for results older than 2017", () => {
    const facts = factsFromResult({
      lifecycle_metadata: { buildpack_key: "k", detected_buildpack: "staticfile" },
      process_types: { web: "sh boot.sh" },
    });
    expect(facts?.buildpacks).toEqual([{ name: "staticfile", version: "", key: "k" }]);
    expect(factsFromResult("not a result")).toBeUndefined();
  });

  it("reads staging_info.yml written as JSON or as 2015 YAML", async () => {
    const json = await factsFromStagingInfo(
      '{"detected_buildpack":"ruby","start_command":"rackup -p $PORT"}',
    );
    expect(json).toEqual({
      processTypes: { web: "rackup -p $PORT" },
      buildpacks: [{ name: "ruby", version: "", key: "" }],
    });
    const yaml = await factsFromStagingInfo(
      "---\ndetected_buildpack: Node.js\nstart_command: npm start\n",
    );
    expect(yaml.processTypes).toEqual({ web: "npm start" });
    expect((await factsFromStagingInfo(": not yaml [")).processTypes).toEqual({});
  });

  it("names the stack after the stack image", () => {
    expect(stackNameOf("restager/cflinuxfs4:latest")).toBe("cflinuxfs4");
    expect(stackNameOf("127.0.0.1:5000/org/cflinuxfs3@sha256:abc")).toBe("cflinuxfs3");
    expect(stackNameOf("cflinuxfs2")).toBe("cflinuxfs2");
  });
});
