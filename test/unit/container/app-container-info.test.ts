import { describe, expect, it } from "vitest";
import { networkGatewayOf } from "../../../src/container/app-container-info.js";
import { portInUse } from "../../../src/container/port-in-use-error.js";

describe("a network's gateway", () => {
  it("is the one IPAM names", () => {
    expect(networkGatewayOf([{ Subnet: "10.5.0.0/16", Gateway: "10.5.0.254" }])).toBe("10.5.0.254");
  });

  it("is the subnet's first address when IPAM names none (the default bridge)", () => {
    expect(networkGatewayOf([{ Subnet: "172.17.0.0/16" }])).toBe("172.17.0.1");
    expect(networkGatewayOf([{ Subnet: "192.168.16.0/20" }])).toBe("192.168.16.1");
    expect(networkGatewayOf([{ Subnet: "fd00::/64" }, { Subnet: "10.1.2.0/24" }])).toBe("10.1.2.1");
  });

  it("is unknown without an IPv4 subnet (host network)", () => {
    expect(networkGatewayOf([])).toBeUndefined();
  });
});

describe("port clashes", () => {
  it("recognises the engine's two messages and the port they name", () => {
    expect(
      portInUse(
        "driver failed programming external connectivity on endpoint x: Bind for 0.0.0.0:61001 failed: port is already allocated",
      ),
    ).toEqual({ hostPort: 61001 });
    expect(portInUse("listen tcp4 0.0.0.0:8080: bind: address already in use")).toEqual({
      hostPort: 8080,
    });
    expect(portInUse("no such image")).toBeUndefined();
  });
});
