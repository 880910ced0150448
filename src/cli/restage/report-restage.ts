import type { RestageReport } from "../../app/restage.js";
import { formatByteSize } from "../../diego/messages.js";
import { errorMessage, findExitStatus, findStepError } from "../../diego/steps/step-errors.js";
import { CancelledError, ExitCode, RestagerError } from "../../errors.js";
import type { KeptArtifact } from "../../restage/kept-artifacts.js";
import { failedToFetchResult } from "../../restage/read-result-file.js";
import type { RestageOutcome } from "../../restage/restage-types.js";
import type { ImageRun } from "../../app/image.js";
import type { Output } from "../output.js";
import { printCauses } from "../report-error.js";
import { imageJson } from "../report-image.js";

/** What the report prints: the image (built after staging) goes into --json. */
export type PrintedReport = Pick<
  RestageReport,
  "outcome" | "app" | "outputTail" | "elapsedMs" | "image" | "request"
>;

/** What the builder's exit statuses mean (docs/diego.md §6.7). */
const builderFailures: Record<number, { code: number; text: string; hint: string }> = {
  222: {
    code: ExitCode.noAppDetected,
    text: "no buildpack detected the app",
    hint: "Check the app package and the buildpack order ('restager explain' shows both)",
  },
  223: {
    code: ExitCode.compileFailed,
    text: "a buildpack failed to compile the app",
    hint: "The buildpack's output above says why; rerun with --keep to inspect the container",
  },
  224: {
    code: ExitCode.releaseFailed,
    text: "a buildpack's release step failed",
    hint: "The buildpack's bin/release must print default_process_types as YAML",
  },
  225: {
    code: ExitCode.supplyFailed,
    text: "a supply buildpack failed",
    hint: "The buildpack's output above says why; rerun with --keep to inspect the container",
  },
};

/** Prints the result (stdout) and a summary or failure report (stderr); returns the exit code. */
export function reportRestage(output: Output, report: PrintedReport): number {
  const { outcome } = report;
  if (output.json) output.result(JSON.stringify(jsonReport(outcome, report.image), null, 2));
  else if (outcome.result) output.result(resultText(output, outcome.result));
  if (!outcome.failed) {
    printSuccess(output, report);
    return ExitCode.ok;
  }
  return printFailure(output, report);
}

/** The result file as recorded; pretty-printed when a person reads it on a terminal. */
function resultText(output: Output, result: NonNullable<RestageOutcome["result"]>): string {
  if (output.stdoutIsTty && result.json !== undefined) return JSON.stringify(result.json, null, 2);
  return result.text.trimEnd();
}

function printSuccess(output: Output, { outcome, app, elapsedMs }: PrintedReport): void {
  output.info(`Staged ${app.name ?? app.guid} in ${(elapsedMs / 1000).toFixed(1)}s`);
  for (const artifact of outcome.artifacts) output.info(`  ${describeArtifact(artifact)}`);
  if (outcome.containerKept && outcome.containerId) {
    output.info(`  container ${outcome.containerId.slice(0, 12)} kept (--keep)`);
  }
}

function printFailure(output: Output, { outcome, outputTail, request }: PrintedReport): number {
  const status = findExitStatus(outcome.error);
  const builder = status === undefined ? undefined : builderFailures[status];
  // A cancellation inside a failed outcome is a timeout action firing (an interrupt rejects
  // instead): the task failed, it was not the user cancelling restager.
  const known = findStepError(
    outcome.error,
    (e): e is RestagerError => e instanceof RestagerError && !(e instanceof CancelledError),
  );
  output.error(`Staging failed: ${outcome.failureReason}`);
  // Diego's failure reason often names only the step ("Downloading app package failed"); the
  // typed error says why (expired URL, checksum mismatch) and is what the exit code reflects.
  if (known && !outcome.failureReason.includes(known.message)) output.error(`  ${known.message}`);
  if (outcome.failureReason === failedToFetchResult) {
    output.error(`  The result file could not be read: ${errorMessage(outcome.error)}`);
  }
  if (output.verbose) printCauses(output, known?.cause);
  if (builder) output.error(`  The builder exited with ${status}: ${builder.text}.`);
  for (const artifact of outcome.artifacts.filter((a) => !a.uploaded)) {
    output.error(`  ${describeArtifact(artifact)}`);
  }
  if (builder || status !== undefined) {
    const lines = outputTail.slice(-15);
    if (lines.length > 0)
      output.error(["  Last output:", ...lines.map((l) => `    ${l}`)].join("\n"));
  }
  const oom = outOfMemory(outcome, request);
  if (oom) output.error(`  ${oom.text}`);
  const hint = oom?.hint ?? builder?.hint ?? known?.hint;
  if (hint) output.error(`Hint: ${hint}`);
  if (outcome.containerKept && outcome.containerId) {
    output.error(`The container ${outcome.containerId.slice(0, 12)} was kept (--keep).`);
  }
  return builder?.code ?? known?.exitCode ?? ExitCode.taskFailed;
}

/**
 * Diego's reason ends in ` (out of memory)` when the kernel OOM-killed a process of the
 * container (run-step.ts): say which limit that was and how to raise it. Cloud Controller gives
 * staging the larger of the app's memory and its `staging.minimum_staging_memory_mb`.
 */
function outOfMemory(outcome: RestageOutcome, request: PrintedReport["request"]) {
  if (!outcome.failureReason.includes("(out of memory)")) return undefined;
  const memoryMb = request?.definition.memoryMb ?? 0;
  const limit = memoryMb > 0 ? `${memoryMb} MB` : "its memory limit";
  return {
    text: `The kernel killed the builder for using more than the task's memory_mb (${limit}).`,
    hint: `Raise the limit: restage again with --memory ${Math.max(1024, memoryMb * 2)} (or a larger memory_mb in the request); in Cloud Foundry, give the app more memory (cf push -m) or raise Cloud Controller's staging.minimum_staging_memory_mb`,
  };
}

function describeArtifact(artifact: KeptArtifact): string {
  const name = artifact.artifact || artifact.from;
  const size = formatByteSize(artifact.sizeBytes);
  const md5 = Buffer.from(artifact.md5Base64, "base64").toString("hex");
  const state = artifact.uploaded ? "uploaded" : "NOT uploaded";
  const where = artifact.path ? `, kept at ${artifact.path}` : "";
  return `${name}: ${size}, md5 ${md5}, ${state}${where}`;
}

function jsonReport(outcome: RestageOutcome, image?: ImageRun): Record<string, unknown> {
  const artifact = (name: string) => {
    const kept = outcome.artifacts.find((a) => a.artifact === name);
    if (!kept) return null;
    return {
      size: kept.sizeBytes,
      md5: Buffer.from(kept.md5Base64, "base64").toString("hex"),
      sha256: Buffer.from(kept.sha256Base64, "base64").toString("hex"),
      uploaded: kept.uploaded,
      path: kept.path ?? null,
    };
  };
  return {
    result: outcome.result ? (outcome.result.json ?? outcome.result.text) : null,
    droplet: artifact("droplet"),
    build_artifacts_cache: artifact("build artifacts cache"),
    failed: outcome.failed,
    failure_reason: outcome.failureReason,
    durations: outcome.durationsMs,
    container: { id: outcome.containerId ?? null, kept: outcome.containerKept },
    image: image ? imageJson(image) : null,
  };
}
