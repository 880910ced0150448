import type { Action, DownloadAction, RunAction } from "../actions.js";
import { redactArgs, redactEnvValue, redactUrl } from "../../core/redact.js";
import { formatDuration } from "./format-duration.js";
import { homeDir, resolveInHome } from "./home-dir.js";
import type { PlanDownload, PlanEnvVar, PlanRun, PlanStep } from "./plan.js";
import type { Checksum } from "../../core/checksums.js";

/** An action tree as plan steps, with every secret redacted. */
export function planStep(action: Action): PlanStep {
  const logSource = action.logSource;
  switch (action.kind) {
    case "download":
      return planDownload(action);
    case "upload": {
      const { artifact, from, user } = action;
      return { kind: "upload", artifact, from, destination: redactUrl(action.to), user, logSource };
    }
    case "run":
      return planRun(action);
    case "timeout": {
      const { timeoutMs } = action;
      const duration = formatDuration(timeoutMs);
      return { kind: "timeout", timeoutMs, duration, step: planStep(action.action), logSource };
    }
    case "emit_progress": {
      const { startMessage, successMessage, failureMessagePrefix } = action;
      const step = planStep(action.action);
      return {
        kind: "emit_progress",
        startMessage,
        successMessage,
        failureMessagePrefix,
        step,
        logSource,
      };
    }
    case "try":
      return { kind: "try", step: planStep(action.action), logSource };
    case "serial":
    case "parallel":
    case "codependent":
      return { kind: action.kind, steps: action.actions.map(planStep), logSource };
  }
}

function planDownload(action: DownloadAction): PlanDownload {
  return {
    kind: "download",
    artifact: action.artifact,
    source: redactUrl(action.from),
    target: resolveInHome(action.user, action.to),
    cacheKey: action.cacheKey,
    user: action.user,
    checksum: formatChecksum(action.checksum),
    logSource: action.logSource,
  };
}

function planRun(action: RunAction): PlanRun {
  return {
    kind: "run",
    user: action.user,
    path: action.path,
    args: redactArgs(action.args),
    dir: action.dir ?? homeDir(action.user),
    env: planEnv(action.env),
    nofile: action.resourceLimits.nofile,
    suppressLogOutput: action.suppressLogOutput,
    logSource: action.logSource,
  };
}

export function planEnv(env: readonly { name: string; value: string }[]): PlanEnvVar[] {
  return env.map(({ name, value }) => ({ name, value: redactEnvValue(name, value) }));
}

export function formatChecksum(checksum: Checksum | undefined): string | undefined {
  return checksum && `${checksum.algorithm}:${checksum.value}`;
}
