import { afterEach, describe, expect, it } from "vitest";
import { FakeCf } from "../../../kit/fake-cf/fake-cf.js";
import { SERVER_NAMES } from "../../../kit/fake-cf/server-name.js";

describe("FakeCf", () => {
  let cf: FakeCf | undefined;
  afterEach(() => cf?.close());

  it("binds every server on all addresses and advertises the Docker bridge (or loopback)", async () => {
    cf = await FakeCf.start();
    expect(cf.bindHost).toBe("0.0.0.0");
    expect(cf.advertiseHost).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    const endpoints = cf.endpoints();
    for (const name of SERVER_NAMES) {
      expect(endpoints[name]).toBe(cf.urlFor(name));
      expect(endpoints[name].startsWith(`http://${cf.advertiseHost}:`)).toBe(true);
      expect((await fetch(`${cf.localUrl(name)}/nothing-here`)).status).toBe(404);
    }
    expect(cf.requests).toHaveLength(SERVER_NAMES.length);
    expect(cf.requests.map((r) => r.server)).toEqual([...SERVER_NAMES]);
  });

  it("records method, path, query, headers and body digest", async () => {
    cf = await FakeCf.start({ bindHost: "127.0.0.1", advertiseHost: "127.0.0.1" });
    await fetch(`${cf.localUrl("stager")}/v1/staging/g/completed?secret=s3cr3t`, {
      method: "POST",
      headers: { "X-Test": "yes" },
      body: "hello",
    });
    await expect.poll(() => cf?.requests[0]?.outcome).toBe("completed");
    expect(cf.requests[0]).toMatchObject({
      server: "stager",
      method: "POST",
      path: "/v1/staging/g/completed",
      query: { secret: "s3cr3t" },
      headers: { "x-test": "yes" },
      status: 400,
      bodyBytes: 5,
      bodyMd5: "5d41402abc4b2a76b9719d911017c592",
    });
  });

  it("stops serving after dispose", async () => {
    const fake = await FakeCf.start({ bindHost: "127.0.0.1", advertiseHost: "127.0.0.1" });
    const url = fake.localUrl("fileServer");
    await fake[Symbol.asyncDispose]();
    await expect(fetch(url)).rejects.toThrow();
    expect(() => fake.urlFor("fileServer")).toThrow(/not running/);
  });
});
