/**
 * The explain plan: what a replay of a request would do, as plain data (built by build-plan.ts,
 * printed by render-plan.ts). Every URL, argument and environment value in it is already
 * redacted, so an ExplainPlan can be printed or serialised as is.
 */
import type { Era } from "../task-definition.js";

export interface PlanEnvVar {
  name: string;
  /** Redacted for display (VCAP_SERVICES, credential-like names, URL credentials). */
  value: string;
}

interface PlanStepBase {
  /** The action's own log source; undefined = inherited. */
  logSource?: string | undefined;
}

export interface PlanDownload extends PlanStepBase {
  kind: "download";
  artifact: string;
  /** Redacted URL. */
  source: string;
  /** `to` resolved against the user's home when relative. */
  target: string;
  /** "" = never cached. */
  cacheKey: string;
  user: string;
  /** `sha256:<hex>`. */
  checksum?: string | undefined;
}

export interface PlanUpload extends PlanStepBase {
  kind: "upload";
  artifact: string;
  from: string;
  /** Redacted URL. */
  destination: string;
  user: string;
}

export interface PlanRun extends PlanStepBase {
  kind: "run";
  user: string;
  path: string;
  /** Redacted (private keys, passwords, URL credentials). */
  args: string[];
  /** The working directory: `dir`, or the user's home. */
  dir: string;
  env: PlanEnvVar[];
  nofile?: number | undefined;
  suppressLogOutput: boolean;
}

export interface PlanTimeout extends PlanStepBase {
  kind: "timeout";
  timeoutMs: number;
  /** Human form, e.g. `15m`, `1h30m`, `500ms`. */
  duration: string;
  step: PlanStep;
}

export interface PlanEmitProgress extends PlanStepBase {
  kind: "emit_progress";
  startMessage: string;
  successMessage: string;
  failureMessagePrefix: string;
  step: PlanStep;
}

export interface PlanTry extends PlanStepBase {
  kind: "try";
  step: PlanStep;
}

export interface PlanGroup extends PlanStepBase {
  kind: "serial" | "parallel" | "codependent";
  steps: PlanStep[];
}

export type PlanStep =
  PlanDownload | PlanUpload | PlanRun | PlanTimeout | PlanEmitProgress | PlanTry | PlanGroup;

export interface PlanLimits {
  memoryMb: number;
  diskMb: number;
  cpuWeight: number;
  /** The largest `resource_limits.nofile` of the run actions, if any. */
  nofile?: number | undefined;
  /** 0 = unlimited. */
  maxPids: number;
}

/** A cached dependency (including SHARED image layers): mounted read-only at `target`. */
export interface PlanDependency {
  name: string;
  /** Redacted URL. */
  source: string;
  target: string;
  cacheKey: string;
  checksum?: string | undefined;
}

export interface PlanImageLayer {
  name: string;
  source: string;
  target: string;
  layerType: "SHARED" | "EXCLUSIVE";
  mediaType: string;
  digest?: string | undefined;
}

export interface PlanHealthCheck {
  /** Where the checks come from: `check_definition` wins on current cells. */
  source: "check_definition" | "monitor" | "none";
  /** One line per check, e.g. `tcp :8080`, `http :8080/health`, `run /tmp/lifecycle/healthcheck -port=8080`. */
  checks: string[];
  readinessChecks: string[];
}

export interface PlanRoutes {
  http: { hostnames: string[]; port: number; routeService?: string | undefined }[];
  tcp: { externalPort: number; containerPort: number }[];
  internal: string[];
  /** Never the private key. */
  ssh?: { containerPort: number; hostFingerprint: string } | undefined;
}

export interface PlanLrp {
  instances: number;
  ports: number[];
  startTimeoutMs: number;
  healthCheck: PlanHealthCheck;
  monitor?: PlanStep | undefined;
  routes: PlanRoutes;
}

export interface PlanTask {
  resultFile: string;
  /** Redacted URL; "" when none. */
  completionCallbackUrl: string;
  /** cfdot Task state, when known. */
  state?: string | undefined;
}

export interface ExplainPlan {
  kind: "task" | "lrp";
  era: Era;
  /** Task guid or process guid, when known. */
  guid?: string | undefined;
  domain?: string | undefined;
  rootfs: string;
  /** `cflinuxfs4` for `preloaded:cflinuxfs4`. */
  stack?: string | undefined;
  /** Diego meaning: no user namespace. */
  privileged: boolean;
  limits: PlanLimits;
  logSource: string;
  logGuid: string;
  placementTags: string[];
  egressRuleCount: number;
  /** Container-level env, redacted. */
  env: PlanEnvVar[];
  cachedDependencies: PlanDependency[];
  imageLayers: PlanImageLayer[];
  setup?: PlanStep | undefined;
  action: PlanStep;
  task?: PlanTask | undefined;
  lrp?: PlanLrp | undefined;
}
