import { buildPlan } from "../../diego/plan/build-plan.js";
import { renderPlan } from "../../diego/plan/render-plan.js";
import type { TaskRequest } from "../../diego/task-definition.js";
import { cpuSharesFor } from "../../container/cpu-shares.js";
import { redactEnvValue } from "../../redact.js";
import type { RestageArgs } from "../commands/restage.js";
import type { Output } from "../output.js";

/** `restage --dry-run`: the container restager would create and the plan, touching nothing. */
export function printDryRun(
  output: Output,
  request: TaskRequest,
  image: string,
  args: RestageArgs,
): void {
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
  if (output.json) {
    output.result(JSON.stringify({ image, plan: buildPlan(request) }, null, 2));
    return;
  }
  output.result([...container, "", renderPlan(buildPlan(request))].join("\n"));
}
