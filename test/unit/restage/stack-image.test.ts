import { describe, expect, it } from "vitest";
import { parseStackMappings, resolveStackImage } from "../../../src/restage/stack-image.js";
import { InvalidInputError, UsageError } from "../../../src/errors.js";

describe("resolveStackImage", () => {
  const none = new Map<string, string>();

  it("maps preloaded stacks to the local stand-in by default", () => {
    expect(resolveStackImage("preloaded:cflinuxfs4", none)).toBe("restager/cflinuxfs4:latest");
  });

  it("prefers an explicit --stack mapping", () => {
    const stacks = parseStackMappings(["cflinuxfs4=cloudfoundry/cflinuxfs4:1.2"]);
    expect(resolveStackImage("preloaded:cflinuxfs4", stacks)).toBe("cloudfoundry/cflinuxfs4:1.2");
  });

  it("handles the two-layer preloaded form", () => {
    expect(resolveStackImage("preloaded+layer:cflinuxfs3?layer=http://x/y", none)).toBe(
      "restager/cflinuxfs3:latest",
    );
  });

  it("honours docker URIs with the tag in the fragment", () => {
    expect(resolveStackImage("docker:///library/ubuntu#22.04", none)).toBe("library/ubuntu:22.04");
    expect(resolveStackImage("docker://reg.example:5000/org/app", none)).toBe(
      "reg.example:5000/org/app:latest",
    );
  });

  it("rejects unknown schemes naming the rootfs path", () => {
    expect(() => resolveStackImage("oci:foo", none)).toThrow(InvalidInputError);
  });

  it("rejects malformed --stack flags", () => {
    expect(() => parseStackMappings(["cflinuxfs4"])).toThrow(UsageError);
  });
});
