/**
 * The `explain` use case: a staging task or desired LRP as a readable plan (secrets redacted)
 * with the endpoints it talks to, or as the normalised model (`json`).
 */
import { buildPlan } from "../diego/explain/build-plan.js";
import { planEndpoints, type PlanEndpoint } from "../diego/explain/endpoints.js";
import { toJsonView } from "../diego/explain/json-view.js";
import { renderPlan } from "../diego/explain/render-plan.js";
import type { InputIssue } from "../errors.js";
import type { TlsSettings } from "../http/tls-settings.js";
import { loadRequest } from "../request-input/load-request.js";

export interface ExplainRequest {
  /** A file, '-' or undefined for stdin; `app` picks one request from log input. */
  file?: string | undefined;
  app?: string | undefined;
  json: boolean;
}

export interface ExplainPorts {
  stdin: NodeJS.ReadableStream;
  /** The TLS settings to check the endpoints against (read only for the plan). */
  tls: () => Promise<TlsSettings>;
  onInputWarnings: (warnings: readonly InputIssue[]) => void;
}

export type ExplainReport =
  | { kind: "json"; view: unknown }
  | { kind: "plan"; text: string; endpoints: PlanEndpoint[]; tls: TlsSettings };

export async function explain(
  request: ExplainRequest,
  ports: ExplainPorts,
): Promise<ExplainReport> {
  const loaded = await loadRequest({ file: request.file, stdin: ports.stdin, app: request.app });
  ports.onInputWarnings(loaded.warnings);
  if (request.json) return { kind: "json", view: toJsonView(loaded.request) };
  const tls = await ports.tls();
  const endpoints = planEndpoints(loaded.request);
  return { kind: "plan", text: renderPlan(buildPlan(loaded.request)), endpoints, tls };
}
