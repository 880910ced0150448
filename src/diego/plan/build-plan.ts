import { findActions, type Action } from "../actions.js";
import type { CachedDependency, ContainerSpec, ImageLayer } from "../common.js";
import type { DesiredLrp } from "../desired-lrp.js";
import type { DiegoRequest } from "../request.js";
import type { TaskRequest } from "../task-definition.js";
import { redactUrl } from "../../core/redact.js";
import { healthCheckOf } from "./health-check-of.js";
import type {
  Plan,
  PlanDependency,
  PlanImageLayer,
  PlanLimits,
  PlanLrp,
  PlanRoutes,
  PlanTask,
} from "./plan.js";
import { formatChecksum, planEnv, planStep } from "./plan-step.js";

/**
 * What replaying `request` would do, as plain redacted data: container, limits, cached
 * dependencies, the setup/action (and monitor) trees, and the task or LRP specifics.
 */
export function buildPlan(request: DiegoRequest): Plan {
  const spec: ContainerSpec = request.kind === "task" ? request.definition : request;
  const setup = request.kind === "task" ? request.definition.setup : request.setup;
  const action = request.kind === "task" ? request.definition.action : request.action;
  const roots = [setup, action, request.kind === "lrp" ? request.monitor : undefined];
  return {
    kind: request.kind,
    era: request.era,
    guid: request.kind === "task" ? request.taskGuid : request.processGuid,
    domain: request.domain,
    rootfs: spec.rootfs,
    stack: /^preloaded(?:\+layer)?:([^?]+)/.exec(spec.rootfs)?.[1],
    privileged: spec.privileged,
    limits: planLimits(spec, roots),
    logSource: spec.logSource,
    logGuid: spec.logGuid,
    placementTags: spec.placementTags,
    egressRuleCount: spec.egressRules.length,
    env: planEnv(spec.env),
    cachedDependencies: spec.cachedDependencies.map(planDependency),
    imageLayers: spec.imageLayers.map(planImageLayer),
    setup: setup && planStep(setup),
    action: planStep(action),
    task: request.kind === "task" ? planTask(request) : undefined,
    lrp: request.kind === "lrp" ? planLrp(request) : undefined,
  };
}

function planDependency(dependency: CachedDependency): PlanDependency {
  return {
    name: dependency.name,
    source: redactUrl(dependency.from),
    target: dependency.to,
    cacheKey: dependency.cacheKey,
    checksum: formatChecksum(dependency.checksum),
  };
}

function planImageLayer(layer: ImageLayer): PlanImageLayer {
  return {
    name: layer.name,
    source: redactUrl(layer.url),
    target: layer.destinationPath,
    layerType: layer.layerType,
    mediaType: layer.mediaType,
    digest: layer.digest && `${layer.digest.algorithm}:${layer.digest.value}`,
  };
}

function planTask(task: TaskRequest): PlanTask {
  return {
    resultFile: task.definition.resultFile,
    completionCallbackUrl: redactUrl(task.definition.completionCallbackUrl),
    state: task.state?.state || undefined,
  };
}

function planLimits(spec: ContainerSpec, roots: (Action | undefined)[]): PlanLimits {
  const nofiles = roots
    .flatMap((root) => (root ? findActions(root, "run") : []))
    .map((run) => run.resourceLimits.nofile)
    .filter((nofile) => nofile !== undefined);
  return {
    memoryMb: spec.memoryMb,
    diskMb: spec.diskMb,
    cpuWeight: spec.cpuWeight,
    nofile: nofiles.length > 0 ? Math.max(...nofiles) : undefined,
    maxPids: spec.maxPids,
  };
}

function planLrp(lrp: DesiredLrp): PlanLrp {
  return {
    instances: lrp.instances,
    ports: lrp.ports,
    startTimeoutMs: lrp.startTimeoutMs,
    healthCheck: healthCheckOf(lrp),
    monitor: lrp.monitor && planStep(lrp.monitor),
    routes: planRoutes(lrp),
  };
}

/** Hostnames and ports only: the ssh route's private key never reaches the plan. */
function planRoutes(lrp: DesiredLrp): PlanRoutes {
  const { http, tcp, internal, ssh } = lrp.routes;
  return {
    http: http.map((route) => ({
      hostnames: route.hostnames,
      port: route.port,
      routeService: route.routeServiceUrl && redactUrl(route.routeServiceUrl),
    })),
    tcp: tcp.map(({ externalPort, containerPort }) => ({ externalPort, containerPort })),
    internal,
    ssh: ssh && { containerPort: ssh.containerPort, hostFingerprint: ssh.hostFingerprint },
  };
}
