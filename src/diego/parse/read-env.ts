import { JsonReader } from "./json-reader.js";
import type { EnvVar } from "../../core/env-var.js";

/**
 * Reads an `[{name, value}]` list (container `env`, run `env`). Absent or null is empty. A
 * missing name is an error (BBS rejects it); a missing value is "" (Go omits nothing here, but
 * hand-written requests do).
 */
export function readEnv(parent: JsonReader, key: string): EnvVar[] {
  const vars: EnvVar[] = [];
  for (const element of parent.array(key) ?? []) {
    const entry = JsonReader.of(element.value, element.path, parent.log);
    if (!entry) continue;
    const name = entry.requiredString("name");
    const value = entry.string("value") ?? "";
    entry.finish();
    vars.push({ name, value });
  }
  return vars;
}
