/** A long-running process: BBS DesiredLRP, receptor DesiredLRPCreateRequest, or cfdot DesiredLRP. */
import type { Action } from "./actions.js";
import type { ContainerSpec } from "./common.js";
import type { Era } from "./task-definition.js";

export interface TcpCheck {
  kind: "tcp";
  port: number;
  connectTimeoutMs?: number | undefined;
  intervalMs?: number | undefined;
}

export interface HttpCheck {
  kind: "http";
  port: number;
  path: string;
  requestTimeoutMs?: number | undefined;
  intervalMs?: number | undefined;
}

export type Check = TcpCheck | HttpCheck;

/** Declarative health checks (`check_definition`), preferred by current cells when present. */
export interface CheckDefinition {
  checks: Check[];
  readinessChecks: Check[];
  logSource: string;
}

export interface HttpRoute {
  hostnames: string[];
  port: number;
  routeServiceUrl?: string | undefined;
  protocol?: string | undefined;
}

export interface TcpRoute {
  routerGroupGuid: string;
  externalPort: number;
  containerPort: number;
}

export interface SshRoute {
  containerPort: number;
  hostFingerprint: string;
  /** A secret: never printed. */
  privateKey: string;
}

export interface Routes {
  http: HttpRoute[];
  tcp: TcpRoute[];
  internal: string[];
  ssh?: SshRoute | undefined;
  /** Route keys restager does not interpret, kept verbatim. */
  other: Record<string, unknown>;
}

export interface DesiredLrp extends ContainerSpec {
  kind: "lrp";
  era: Era;
  processGuid: string;
  domain: string;
  instances: number;
  /** Serial of EXCLUSIVE image-layer downloads and the recorded `setup`, if any. */
  setup?: Action | undefined;
  action: Action;
  monitor?: Action | undefined;
  checkDefinition?: CheckDefinition | undefined;
  /** From `start_timeout_ms`, or `start_timeout` (s) * 1000; 0 = not set. */
  startTimeoutMs: number;
  ports: number[];
  routes: Routes;
}
