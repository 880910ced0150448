import { describe, expect, it } from "vitest";
import { redactUrl } from "../../../src/core/redact.js";

describe("redactUrl", () => {
  it("keeps scheme, host, port and path", () => {
    expect(redactUrl("https://cc.example.com:9091/v1/droplet/abc")).toBe(
      "https://cc.example.com:9091/v1/droplet/abc",
    );
  });

  it("hides userinfo and the whole query", () => {
    expect(redactUrl("http://user:pa%40ss@blobstore:8080/d?sig=abc&expires=1")).toBe(
      "http://***@blobstore:8080/d?…",
    );
    expect(redactUrl("http://user@host/x")).toBe("http://***@host/x");
  });

  it("keeps the fragment (a docker tag, never a credential)", () => {
    expect(redactUrl("https://h/p?q=1#frag")).toBe("https://h/p?…#frag");
  });

  it("tolerates strings that are not URLs", () => {
    expect(redactUrl("not a url")).toBe("not a url");
    expect(redactUrl("http://us er:secret@bad host/p?token=x")).toBe("http://***@bad host/p?…");
    expect(redactUrl("//user:pw@host:99999/x?y")).not.toMatch(/pw|user|y$/);
  });

  it("accepts URL objects", () => {
    expect(redactUrl(new URL("https://u:p@h/x?y=1"))).toBe("https://***@h/x?…");
  });
});
