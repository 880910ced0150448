import { createServer } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { undiciAgent } from "../../../src/http/undici-agent.js";

describe("undici's Agent loaded alone", () => {
  it("sends requests through the request API undici's index would give it", async () => {
    const server = createServer((request, response) => response.end(`got ${request.url}`));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const Agent = undiciAgent();
    const agent = new Agent();
    try {
      const res = await agent.request({
        origin: `http://127.0.0.1:${port}`,
        path: "/a?b=1",
        method: "GET",
      });
      expect([res.statusCode, await res.body.text()]).toEqual([200, "got /a?b=1"]);
    } finally {
      await agent.close();
      server.close();
    }
  });

  it("does not load the rest of undici (its index: fetch, caches, cookies, mocks)", () => {
    undiciAgent();
    const loaded = Object.keys(createRequire(import.meta.url).cache);
    expect(loaded.some((file) => file.endsWith(join("undici", "lib", "api", "index.js")))).toBe(
      true,
    );
    expect(
      loaded.filter((file) => file.endsWith(join("node_modules", "undici", "index.js"))),
    ).toEqual([]);
  });
});
