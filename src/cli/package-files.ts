/**
 * Files of the restager package itself (package.json, the identity keeper), found
 * from the package root, so that the same code works from tsc's per-module output, from the
 * bundled commands (scripts/bundle-cli.mjs puts shared code in dist/chunks/) and from src/.
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

let root: string | undefined;

/** The nearest directory above this module that holds a package.json. */
export function packageRoot(): string {
  if (root !== undefined) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json"))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
  return (root = dir);
}

/** A built file of the package, e.g. `dist/bin/identity-keeper.js`. */
export function packageFile(relative: string): string {
  return join(packageRoot(), relative);
}
