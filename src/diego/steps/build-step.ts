import type { Action } from "../actions.js";
import { afterCellReady } from "./cell-ready.js";
import { CodependentStep } from "./codependent-step.js";
import { DownloadStep } from "./download-step.js";
import { EmitProgressStep } from "./emit-progress-step.js";
import { ParallelStep } from "./parallel-step.js";
import { RunStep } from "./run-step.js";
import { SerialStep } from "./serial-step.js";
import type { StepContext } from "./step-context.js";
import type { Step } from "./step.js";
import { TimeoutStep } from "./timeout-step.js";
import { TryStep } from "./try-step.js";
import { UploadStep } from "./upload-step.js";

/**
 * Turns an action tree into a step tree (Diego's transformer, without its parameter lists).
 * A non-empty `logSource` tags the action's own lines and its children's, as the executor's
 * transformer builds them, with two exceptions: a `serial` action ignores its own source (its
 * children get the parent's), and an `emit_progress` action tags only its messages, its child
 * getting the parent's source.
 */
export function buildStep(action: Action, parent: StepContext): Step {
  const ctx = action.logSource
    ? { ...parent, taskLog: parent.taskLog.withSource(action.logSource) }
    : parent;
  const children = (actions: readonly Action[], of = ctx) =>
    actions.map((child) => buildStep(child, of));
  switch (action.kind) {
    case "download":
      return new DownloadStep(action, ctx);
    case "upload":
      return new UploadStep(action, ctx);
    case "run":
      return new RunStep(action, ctx);
    case "emit_progress":
      return new EmitProgressStep(buildStep(action.action, parent), action, ctx.taskLog);
    case "timeout":
      return afterCellReady(new TimeoutStep(buildStep(action.action, ctx), action.timeoutMs), ctx);
    case "try":
      return new TryStep(buildStep(action.action, ctx), ctx.logger);
    case "serial":
      return new SerialStep(children(action.actions, parent));
    case "parallel":
      return new ParallelStep(children(action.actions));
    case "codependent":
      return new CodependentStep(children(action.actions));
  }
}
