import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { packageFile, packageRoot } from "../../../src/cli/package-files.js";

describe("the package's own files", () => {
  it("are found from the package root, wherever the module sits", () => {
    const pkg = JSON.parse(readFileSync(packageFile("package.json"), "utf8")) as { name: string };
    expect(pkg.name).toBe("restager");
    expect(packageFile("dist/bin/identity-keeper.js")).toBe(
      `${packageRoot()}/dist/bin/identity-keeper.js`,
    );
  });
});
