import type { LogLine } from "../../container/app-runtime.js";
import { maskSecretsInText } from "../../core/redact.js";

/** One line of one instance: its log source (`APP/PROC/WEB`), index and line. */
export interface InstanceLine {
  source: string;
  index: number;
  line: LogLine;
}

/** `[APP/PROC/WEB/0] OUT text`, as `cf logs` shows an instance's lines; secrets masked. */
export function logLineText(
  { source, index, line }: InstanceLine,
  secrets: readonly string[],
): string {
  return `[${source}/${index}] ${line.stream.toUpperCase()} ${maskSecretsInText(line.text, secrets)}`;
}
