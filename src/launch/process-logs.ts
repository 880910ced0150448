/**
 * Which process of an instance wrote a log line: the sidecars' lines carry their tag
 * (sidecar-processes.ts), every other line is the app's. And why an instance whose sidecar
 * ended crashed, in the executor's words (depot/steps/run_step.go: `<source>: Exited with status
 * N`; a member that exits 0 is "Codependent step exited", depot/steps/codependent_step.go).
 */
import type { LogLine } from "../container/app-runtime.js";
import { messages } from "../diego/messages.js";
import { sidecarTag, type SidecarProcess } from "./sidecar-processes.js";

export interface SourcedLine {
  source: string;
  line: LogLine;
}

/** The line without its sidecar tag, with the log source it belongs to. */
export function sourcedLine(
  line: LogLine,
  app: { logSource: string; sidecars: readonly Pick<SidecarProcess, "logSource">[] },
): SourcedLine {
  for (const sidecar of app.sidecars) {
    const tag = sidecarTag(sidecar.logSource);
    if (line.text.startsWith(tag)) {
      return { source: sidecar.logSource, line: { ...line, text: line.text.slice(tag.length) } };
    }
  }
  return { source: app.logSource, line };
}

const exitLine = /^Exit status (\d+)$/;

/**
 * The crash reason when a sidecar's end ended the instance: the last `Exit status N` line of a
 * sidecar among `lines`; undefined when none (the app itself exited).
 */
export function sidecarExitReason(
  lines: readonly LogLine[],
  app: { logSource: string; sidecars: readonly Pick<SidecarProcess, "logSource">[] },
): string | undefined {
  for (const raw of [...lines].reverse()) {
    const { source, line } = sourcedLine(raw, app);
    // Untagged: the app's own line.
    if (line.text === raw.text) continue;
    const status = exitLine.exec(line.text.trim());
    if (!status) continue;
    const code = Number(status[1]);
    return code === 0 ? messages.codependentExited : messages.exitedWithStatus(source, code, false);
  }
  return undefined;
}
