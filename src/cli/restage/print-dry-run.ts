import { buildPlan } from "../../diego/explain/build-plan.js";
import { renderPlan } from "../../diego/explain/render-plan.js";
import { cpuSharesFor } from "../../diego/cpu-shares.js";
import { redactEnvValue } from "../../core/redact.js";
import { redactUrl } from "../../core/redact.js";
import type { TlsSettings } from "../../http/tls-settings.js";
import type { RestageRunOptions } from "../../app/restage.js";
import type { Output } from "../output.js";

/** What `restage` was asked to do. */
export type RestageDryRun = Omit<RestageRunOptions, "env" | "signal">;

/** `restage --dry-run`: the container restager would create and the plan, touching nothing. */
export function printDryRun(output: Output, run: RestageDryRun): void {
  const { request, stackImage: image } = run;
  const definition = request.definition;
  const shares = cpuSharesFor(definition.cpuWeight);
  const env = definition.env.map((v) => `${v.name}=${redactEnvValue(v.name, v.value)}`);
  const container = [
    "Container (dry run: nothing is created, downloaded or uploaded)",
    `  image       ${image}`,
    `  memory      ${definition.memoryMb > 0 ? `${definition.memoryMb} MB` : "unlimited"}`,
    `  cpu shares  ${shares ?? "default"}`,
    `  network     ${run.network ?? "default bridge"}`,
    `  env         ${env.join(" ") || "(none)"}`,
    `  uploads     ${run.upload ? "to the recorded URLs" : `skipped; kept in ${run.outputDir ?? "./restager-out/<app>"}`}`,
  ];
  if (run.resolve.length > 0) container.push(`  resolve     ${run.resolve.join(", ")}`);
  container.push(`  tls         ${describeTls(run.tls)}`);
  container.push(`  app image   ${dryRunImage(run)}`);
  if (run.callback) container.push(`  callback    ${redactUrl(definition.completionCallbackUrl)}`);
  if (output.json) {
    output.result(JSON.stringify({ image, plan: buildPlan(request) }, null, 2));
    return;
  }
  output.result([...container, "", renderPlan(buildPlan(request))].join("\n"));
}

function describeTls(tls: TlsSettings): string {
  const cas = tls.caSource ? `system CAs + ${tls.caSource}` : "system CAs";
  const client = tls.client ? `client certificate ${tls.client.source}` : "no client certificate";
  const verify = tls.insecure ? "server certificates NOT verified (--insecure)" : cas;
  return `${verify}; ${client}`;
}

function dryRunImage(run: RestageDryRun): string {
  if (!run.buildImage) return "not built (--no-image)";
  const { tags, push: pushing, registry } = run.publishing;
  const names = tags?.join(", ") ?? "restager/<app>:<droplet md5 prefix>, :latest";
  const push = pushing ? `; pushed to ${registry ?? "the tags' registry"}` : "";
  return `${names} after a successful staging${push}`;
}
