import type { CreateNodeOptions, DocumentOptions, ToStringOptions } from "yaml";

/**
 * How manifests are written: YAML 1.1 rules, because kubectl (go-yaml v2) and older compose
 * parsers read YAML 1.1, where a bare `no`, `on` or `y` is a boolean (so such strings come out
 * quoted); no line folding (JSON env values stay on one line); no anchors and aliases.
 */
export const yamlOptions: DocumentOptions & CreateNodeOptions & ToStringOptions = {
  version: "1.1",
  lineWidth: 0,
  aliasDuplicateObjects: false,
};
