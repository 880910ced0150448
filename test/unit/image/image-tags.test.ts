import { describe, expect, it } from "vitest";
import {
  defaultTags,
  normalizeRegistry,
  normalizeTag,
  sanitizeAppName,
  withRegistry,
} from "../../../src/image/image-tags.js";

describe("image names", () => {
  it.each([
    ["My App", "my-app"],
    ["node_env.v2", "node_env.v2"],
    ["--weird__name..", "weird-name"],
    ["Ünïcode app!", "n-code-app"],
    ["", "app"],
    [undefined, "app"],
    ["___", "app"],
  ])("sanitises the app name %j to %j", (name, expected) => {
    expect(sanitizeAppName(name)).toBe(expected);
  });

  it("defaults to restager/<app>:<12 hex of the droplet md5> and :latest", () => {
    expect(defaultTags("Node Env", "0123456789abcdef0123456789abcdef")).toEqual([
      "restager/node-env:0123456789ab",
      "restager/node-env:latest",
    ]);
  });

  it("accepts Docker references and adds :latest to a bare name", () => {
    expect(normalizeTag("myorg/app")).toBe("myorg/app:latest");
    expect(normalizeTag("127.0.0.1:5000/org/app:v1.2")).toBe("127.0.0.1:5000/org/app:v1.2");
    expect(normalizeTag("localhost:5000/app")).toBe("localhost:5000/app:latest");
  });

  it.each(["MyApp", "app:", "a//b", "app:bad tag", "app@sha256:abc", "-app"])(
    "refuses %j with a usage error",
    (value) => {
      expect(() => normalizeTag(value)).toThrow(/Invalid image name/);
    },
  );

  it("checks --registry and drops a scheme or trailing slash", () => {
    expect(normalizeRegistry("http://127.0.0.1:5000/")).toBe("127.0.0.1:5000");
    expect(normalizeRegistry("registry.example.com")).toBe("registry.example.com");
    expect(() => normalizeRegistry("not a host")).toThrow(/Invalid registry/);
  });

  it("prefixes a name with the registry once", () => {
    expect(withRegistry("restager/app:v1", "127.0.0.1:5000")).toBe(
      "127.0.0.1:5000/restager/app:v1",
    );
    expect(withRegistry("127.0.0.1:5000/restager/app:v1", "127.0.0.1:5000")).toBe(
      "127.0.0.1:5000/restager/app:v1",
    );
    expect(withRegistry("restager/app:v1", undefined)).toBe("restager/app:v1");
  });
});
