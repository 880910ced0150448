import { describe, expect, it } from "vitest";
import { UsageError } from "../../../src/errors.js";
import { applyResolveMap, parseResolveSpec } from "../../../src/http/resolve-map.js";

describe("parseResolveSpec", () => {
  it("parses HOST[:PORT]=ADDR[:PORT]", () => {
    expect(parseResolveSpec("cc-uploader.service.cf.internal:9091=127.0.0.1:8091")).toEqual({
      host: "cc-uploader.service.cf.internal",
      port: 9091,
      address: "127.0.0.1",
      addressPort: 8091,
    });
    expect(parseResolveSpec("Blobstore.Example.com=10.0.0.5")).toEqual({
      host: "blobstore.example.com",
      port: undefined,
      address: "10.0.0.5",
      addressPort: undefined,
    });
  });

  it("accepts a leading wildcard and bracketed IPv6 addresses", () => {
    expect(parseResolveSpec("*.service.cf.internal=[::1]:8443")).toMatchObject({
      host: "*.service.cf.internal",
      address: "::1",
      addressPort: 8443,
    });
  });

  it.each(["", "host", "=1.2.3.4", "host=", "host:99999=1.2.3.4", "ho st=1.2.3.4", "a=b=c"])(
    "rejects %j with a UsageError that shows an example",
    (spec) => {
      expect(() => parseResolveSpec(spec)).toThrow(UsageError);
      try {
        parseResolveSpec(spec);
      } catch (error) {
        expect((error as UsageError).hint).toContain("--resolve cc-uploader.service.cf.internal");
      }
    },
  );
});

describe("applyResolveMap", () => {
  const map = [
    parseResolveSpec("cc-uploader.service.cf.internal:9091=127.0.0.1:8091"),
    parseResolveSpec("*.service.cf.internal=127.0.0.2"),
  ];

  it("connects to the address and keeps Host and SNI for https", () => {
    const target = applyResolveMap(
      new URL("https://cc-uploader.service.cf.internal:9091/v1/droplet/g?x=1"),
      map,
    );
    expect(target.connectUrl.href).toBe("https://127.0.0.1:8091/v1/droplet/g?x=1");
    expect(target.hostHeader).toBe("cc-uploader.service.cf.internal:9091");
    expect(target.servername).toBe("cc-uploader.service.cf.internal");
  });

  it("keeps the URL's port when the rule gives none, and prefers exact hosts to wildcards", () => {
    const target = applyResolveMap(new URL("http://file-server.service.cf.internal:8080/x"), map);
    expect(target.connectUrl.href).toBe("http://127.0.0.2:8080/x");
    expect(target.hostHeader).toBe("file-server.service.cf.internal:8080");
    expect(target.servername).toBeUndefined();
    const defaultPort = applyResolveMap(new URL("https://a.b.service.cf.internal/y"), map);
    expect(defaultPort.connectUrl.href).toBe("https://127.0.0.2/y");
  });

  it("matches a rule's port only against the URL's effective port", () => {
    const other = applyResolveMap(new URL("https://cc-uploader.service.cf.internal/z"), [map[0]!]);
    expect(other.hostHeader).toBeUndefined();
    expect(other.connectUrl.href).toBe("https://cc-uploader.service.cf.internal/z");
  });

  it("does not let a wildcard match the bare suffix or a look-alike", () => {
    const wildcard = [map[1]!];
    expect(applyResolveMap(new URL("http://service.cf.internal/"), wildcard).hostHeader).toBe(
      undefined,
    );
    expect(applyResolveMap(new URL("http://evilservice.cf.internal/"), wildcard).hostHeader).toBe(
      undefined,
    );
  });

  it("brackets IPv6 addresses", () => {
    const target = applyResolveMap(new URL("http://h:81/"), [parseResolveSpec("h=[::1]")]);
    expect(target.connectUrl.href).toBe("http://[::1]:81/");
  });
});
