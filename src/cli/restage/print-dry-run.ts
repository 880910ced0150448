import { buildPlan } from "../../diego/plan/build-plan.js";
import { renderPlan } from "../../diego/plan/render-plan.js";
import type { TaskRequest } from "../../diego/task-definition.js";
import { cpuSharesFor } from "../../container/cpu-shares.js";
import { redactEnvValue } from "../../core/redact.js";
import { redactUrl } from "../../core/redact.js";
import type { TlsSettings } from "../../http/tls-settings.js";
import type { RestageArgs } from "../commands/restage.js";
import type { Output } from "../output.js";

/** `restage --dry-run`: the container restager would create and the plan, touching nothing. */
export function printDryRun(
  output: Output,
  request: TaskRequest,
  run: { image: string; args: RestageArgs; tls: TlsSettings },
): void {
  const { image, args } = run;
  const definition = request.definition;
  const shares = cpuSharesFor(definition.cpuWeight);
  const env = definition.env.map((v) => `${v.name}=${redactEnvValue(v.name, v.value)}`);
  const container = [
    "Container (dry run: nothing is created, downloaded or uploaded)",
    `  image       ${image}`,
    `  memory      ${definition.memoryMb > 0 ? `${definition.memoryMb} MB` : "unlimited"}`,
    `  cpu shares  ${shares ?? "default"}`,
    `  network     ${args.network ?? "default bridge"}`,
    `  env         ${env.join(" ") || "(none)"}`,
    `  uploads     ${args.upload ? "to the recorded URLs" : `skipped; kept in ${args.outputDir ?? "./restager-out/<app>"}`}`,
  ];
  if (args.resolve.length > 0) container.push(`  resolve     ${args.resolve.join(", ")}`);
  container.push(`  tls         ${describeTls(run.tls)}`);
  container.push(`  app image   ${dryRunImage(args)}`);
  if (args.callback) container.push(`  callback    ${redactUrl(definition.completionCallbackUrl)}`);
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

function dryRunImage(args: RestageArgs): string {
  if (args.image === false) return "not built (--no-image)";
  const names = args.tag?.join(", ") ?? "restager/<app>:<droplet md5 prefix>, :latest";
  const push = args.push ? `; pushed to ${args.registry ?? "the tags' registry"}` : "";
  return `${names} after a successful staging${push}`;
}
