import { describe, expect, it } from "vitest";
import { instancePortsJson, networkingEnv } from "../../../src/cell-env/networking-env.js";

describe("CF_INSTANCE_PORTS", () => {
  it("lists every LRP port in order, external first, as the executor's Go JSON does", () => {
    const json = instancePortsJson([
      { container: 8080, host: 61001 },
      { container: 9090, host: 61002 },
    ]);
    expect(json).toBe('[{"external":61001,"internal":8080},{"external":61002,"internal":9090}]');
  });

  it("leaves out external for a port that is not published", () => {
    expect(instancePortsJson([{ container: 8080, host: 61001 }, { container: 2222 }])).toBe(
      '[{"external":61001,"internal":8080},{"internal":2222}]',
    );
    expect(instancePortsJson([])).toBe("[]");
  });
});

describe("networking variables", () => {
  it("uses the host port of the first LRP port for CF_INSTANCE_PORT and ADDR", () => {
    const env = networkingEnv("172.17.0.1", [
      { container: 8080, host: 61001 },
      { container: 2222 },
    ]);
    expect(env).toEqual([
      { name: "CF_INSTANCE_IP", value: "172.17.0.1" },
      { name: "CF_INSTANCE_PORT", value: "61001" },
      { name: "CF_INSTANCE_ADDR", value: "172.17.0.1:61001" },
      {
        name: "CF_INSTANCE_PORTS",
        value: '[{"external":61001,"internal":8080},{"internal":2222}]',
      },
    ]);
  });

  it("leaves PORT and ADDR empty without ports, as a cell without port mappings", () => {
    expect(networkingEnv("172.17.0.1", [])).toEqual([
      { name: "CF_INSTANCE_IP", value: "172.17.0.1" },
      { name: "CF_INSTANCE_PORT", value: "" },
      { name: "CF_INSTANCE_ADDR", value: "" },
      { name: "CF_INSTANCE_PORTS", value: "[]" },
    ]);
  });

  it("leaves IP and ADDR for the start script when the host address is not known", () => {
    const env = networkingEnv(undefined, [{ container: 8080, host: 30001 }]);
    expect(env.slice(0, 3)).toEqual([
      { name: "CF_INSTANCE_IP", value: "" },
      { name: "CF_INSTANCE_PORT", value: "30001" },
      { name: "CF_INSTANCE_ADDR", value: "" },
    ]);
  });

  it("gives a task the container's address and no ports, as the executor's run step does", () => {
    expect(networkingEnv("172.17.0.1", [], "172.17.0.5")).toEqual([
      { name: "CF_INSTANCE_IP", value: "172.17.0.1" },
      { name: "CF_INSTANCE_INTERNAL_IP", value: "172.17.0.5" },
      { name: "CF_INSTANCE_PORT", value: "" },
      { name: "CF_INSTANCE_ADDR", value: "" },
      { name: "CF_INSTANCE_PORTS", value: "[]" },
    ]);
  });
});
