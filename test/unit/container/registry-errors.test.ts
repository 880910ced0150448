import { describe, expect, it } from "vitest";
import { registryError, registryHost } from "../../../src/container/registry-errors.js";

const engine = (message: string) =>
  Object.assign(new Error(message), { statusCode: 500, json: { message } });

describe("registryError", () => {
  it.each([
    [
      'Get "https://r.example:5000/v2/": http: server gave HTTP response to HTTPS client',
      /insecure-registries/,
    ],
    ["unauthorized: authentication required", /--registry-user/],
    ["x509: certificate signed by unknown authority", /certs\.d\/r\.example:5000/],
    ["dial tcp 10.0.0.1:5000: connect: connection refused", /cannot reach r\.example:5000/],
  ])("turns %j into an UnavailableError with the fix", (message, hint) => {
    const error = registryError(engine(message), "push", "r.example:5000/app:v1");
    expect(error?.exitCode).toBe(69);
    expect(error?.message).toBe(`Cannot push r.example:5000/app:v1: ${message}`);
    expect(error?.hint).toMatch(hint);
  });

  it("leaves other failures, and an unreachable engine, to the generic mapping", () => {
    expect(registryError(engine("no such image"), "push", "r/app:v1")).toBeUndefined();
    expect(
      registryError(Object.assign(new Error("x"), { code: "ECONNREFUSED" }), "push", "r/a:b"),
    ).toBeUndefined();
  });

  it("finds the registry in a reference", () => {
    expect(registryHost("127.0.0.1:5000/a/b:c")).toBe("127.0.0.1:5000");
    expect(registryHost("localhost/a:b")).toBe("localhost");
    expect(registryHost("restager/app:v1")).toBe("docker.io");
  });
});
