import { describe, expect, it } from "vitest";
import {
  gardenDefaults,
  instanceEnv,
  repEnv,
  type EnvSources,
} from "../../../src/launch/instance-env.js";
import { mergeEnv } from "../../../src/core/merge-env.js";
import { networkingEnv } from "../../../src/cell-env/networking-env.js";

const sources: EnvSources = {
  lrpEnv: [{ name: "LANG", value: "en_US.UTF-8" }],
  runEnv: [
    { name: "PORT", value: "8080" },
    { name: "VCAP_APPLICATION", value: '{"application_id":"a"}' },
    { name: "MEMORY_LIMIT", value: "256m" },
  ],
  defaults: gardenDefaults("preloaded:cflinuxfs4", "vcap"),
  envFile: [],
  overrides: [],
};
const networking = networkingEnv("172.17.0.1", [{ container: 8080, host: 61001 }]);

const names = (env: { name: string }[]) => env.map((v) => v.name);

describe("an instance's environment", () => {
  it("follows Diego's order: rep, LRP env, run action env, networking, Garden defaults", () => {
    const env = instanceEnv(sources, repEnv("1", "guid-1"), networking);
    expect(names(env)).toEqual([
      "INSTANCE_GUID",
      "INSTANCE_INDEX",
      "CF_INSTANCE_GUID",
      "CF_INSTANCE_INDEX",
      "LANG",
      "PORT",
      "VCAP_APPLICATION",
      "MEMORY_LIMIT",
      "CF_INSTANCE_IP",
      "CF_INSTANCE_PORT",
      "CF_INSTANCE_ADDR",
      "CF_INSTANCE_PORTS",
      "PATH",
      "USER",
    ]);
    expect(env.slice(0, 4).map((v) => v.value)).toEqual(["guid-1", "1", "guid-1", "1"]);
    expect(env.find((v) => v.name === "VCAP_APPLICATION")?.value).toBe('{"application_id":"a"}');
  });

  it("lets --env-file, then --env, replace values in place", () => {
    const env = instanceEnv(
      {
        ...sources,
        envFile: [
          { name: "MEMORY_LIMIT", value: "1g" },
          { name: "NEW", value: "file" },
        ],
        overrides: [
          { name: "NEW", value: "flag" },
          { name: "CF_INSTANCE_INDEX", value: "7" },
        ],
      },
      repEnv("0", "g"),
      networking,
    );
    expect(env.find((v) => v.name === "MEMORY_LIMIT")?.value).toBe("1g");
    expect(env.find((v) => v.name === "CF_INSTANCE_INDEX")?.value).toBe("7");
    expect(env.filter((v) => v.name === "NEW")).toEqual([{ name: "NEW", value: "flag" }]);
    expect(names(env).indexOf("MEMORY_LIMIT")).toBe(7);
  });

  it("adds Garden's defaults only where the LRP set nothing", () => {
    const withPath = { ...sources, runEnv: [{ name: "PATH", value: "/app/bin" }] };
    const env = instanceEnv(withPath, repEnv("0", "g"), []);
    expect(env.filter((v) => v.name === "PATH")).toEqual([{ name: "PATH", value: "/app/bin" }]);
    expect(env.find((v) => v.name === "USER")?.value).toBe("vcap");
  });

  it("keeps a docker rootfs's PATH from its image", () => {
    expect(gardenDefaults("docker:///acme/app#1", "root")).toEqual([
      { name: "USER", value: "root" },
    ]);
  });

  it("merges names once, first position, last value", () => {
    expect(
      mergeEnv(
        [
          { name: "A", value: "1" },
          { name: "B", value: "2" },
        ],
        [{ name: "A", value: "3" }],
      ),
    ).toEqual([
      { name: "A", value: "3" },
      { name: "B", value: "2" },
    ]);
  });
});
