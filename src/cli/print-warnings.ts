import type { InputIssue } from "../errors.js";
import type { Output } from "./output.js";

const shown = 10;

/** Prints parse warnings (unknown fields, deprecated encodings) to stderr, at most ten. */
export function printWarnings(output: Output, warnings: readonly InputIssue[]): void {
  for (const warning of warnings.slice(0, shown)) {
    output.warn(`${warning.path}: ${warning.message}`);
  }
  if (warnings.length > shown) {
    output.warn(`... and ${warnings.length - shown} more (see --verbose)`);
  }
  if (output.verbose) {
    for (const warning of warnings.slice(shown)) output.debug("parse-warning", { ...warning });
  }
}
