import type { EgressRule, PortRange } from "../common.js";
import { JsonReader } from "./json-reader.js";

/**
 * Reads `egress_rules` (security-group rules). They are kept for display; `icmp_info` and
 * `annotations` are known but not modelled.
 */
export function readEgressRules(parent: JsonReader): EgressRule[] {
  const rules: EgressRule[] = [];
  for (const element of parent.array("egress_rules") ?? []) {
    const entry = JsonReader.of(element.value, element.path, parent.log);
    if (!entry) continue;
    entry.ignore("icmp_info", "annotations");
    const ports = (entry.array("ports") ?? []).flatMap((port) => {
      if (typeof port.value === "number") return [port.value];
      entry.log.error(port.path, "expected a port number");
      return [];
    });
    rules.push({
      protocol: entry.string("protocol") ?? "",
      destinations: entry.strings("destinations"),
      ports: ports.length > 0 ? ports : undefined,
      portRange: readPortRange(entry),
      log: entry.boolean("log") ?? false,
    });
    entry.finish();
  }
  return rules;
}

function readPortRange(entry: JsonReader): PortRange | undefined {
  const range = entry.object("port_range");
  if (!range) return undefined;
  const start = range.number("start", { min: 0, max: 65535 }) ?? 0;
  const end = range.number("end", { min: 0, max: 65535 }) ?? 0;
  range.finish();
  return { start, end };
}
