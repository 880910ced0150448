import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { findFreePort } from "../../../src/launch/host-ports.js";

describe("free host ports", () => {
  it("finds a port that can be bound, avoiding those already taken", async () => {
    const first = await findFreePort(new Set());
    const second = await findFreePort(new Set([first]));
    expect(second).not.toBe(first);
    await new Promise<void>((resolve, reject) => {
      const server = createServer();
      server.once("error", reject);
      server.listen(second, "0.0.0.0", () => server.close(() => resolve()));
    });
  });
});
