import { describe, expect, it } from "vitest";
import { applyProxyRule, isProxyVariable } from "../../../src/launch/proxy-rule.js";

const recorded = [
  { name: "http_proxy", value: "" },
  { name: "HTTPS_PROXY", value: "" },
  { name: "no_proxy", value: "localhost,.service.cf.internal" },
  { name: "PORT", value: "8080" },
  { name: "EMPTY", value: "" },
];

describe("the proxy rule", () => {
  it("drops proxy variables recorded empty, in any case, and keeps everything else in order", () => {
    const result = applyProxyRule(recorded, { keepProxy: false, hostEnv: {} });
    expect(result.env).toEqual([
      { name: "no_proxy", value: "localhost,.service.cf.internal" },
      { name: "PORT", value: "8080" },
      { name: "EMPTY", value: "" },
    ]);
    expect(result.dropped).toEqual(["http_proxy", "HTTPS_PROXY"]);
    expect(result.fromHost).toEqual([]);
  });

  it("passes restager's own value, under the same name or the other case, when it has one", () => {
    const hostEnv = { HTTP_PROXY: "http://proxy.corp:3128", https_proxy: "" };
    const result = applyProxyRule(recorded, { keepProxy: false, hostEnv });
    expect(result.env[0]).toEqual({ name: "http_proxy", value: "http://proxy.corp:3128" });
    expect(result.env.some((v) => v.name === "HTTPS_PROXY")).toBe(false);
    expect(result.fromHost).toEqual(["http_proxy"]);
  });

  it("never replaces a recorded non-empty proxy value", () => {
    const env = [{ name: "https_proxy", value: "http://platform:8080" }];
    const result = applyProxyRule(env, {
      keepProxy: false,
      hostEnv: { https_proxy: "http://host:1" },
    });
    expect(result.env).toEqual(env);
  });

  it("keeps every variable exactly as recorded with --keep-proxy", () => {
    const hostEnv = { http_proxy: "http://proxy.corp:3128" };
    const result = applyProxyRule(recorded, { keepProxy: true, hostEnv });
    expect(result.env).toEqual(recorded);
    expect(result.dropped).toEqual([]);
  });

  it("knows the proxy variables whatever their case", () => {
    expect(["http_proxy", "HTTP_PROXY", "Https_Proxy", "NO_PROXY"].map(isProxyVariable)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(isProxyVariable("ftp_proxy")).toBe(false);
  });
});
