import type { Argv, CommandModule } from "yargs";
import { loadRequest } from "../../request-input/load-request.js";
import { buildPlan } from "../../diego/plan/build-plan.js";
import { renderPlan } from "../../diego/plan/render-plan.js";
import { toJsonView } from "../../diego/plan/json-view.js";
import { planEndpoints } from "../../diego/plan/endpoints.js";
import { renderEndpoints } from "../endpoints-report.js";
import { readTlsSettings, withTlsFlags, type TlsFlags } from "../tls-flags.js";
import type { Output } from "../output.js";
import { printWarnings } from "../print-warnings.js";
import { commandSummaries } from "./summaries.js";

interface ExplainArgs extends TlsFlags {
  file?: string;
  app?: string;
  json?: boolean;
}

/** `restager explain [FILE|-]`: the request as a readable plan, or the normalised model. */
export function explainCommand(output: Output): CommandModule<object, ExplainArgs> {
  return {
    ...commandSummaries.explain,
    builder: (yargs) =>
      (withTlsFlags(yargs) as Argv)
        .positional("file", {
          type: "string",
          describe: "Request JSON, cfdot output or lager log lines; '-' or omitted reads stdin",
        })
        .option("app", { type: "string", describe: "With log input: pick this app's request" })
        .example("build_req --log stager.log | restager explain", "Explain the latest staging task")
        .example("restager explain lrp.json --json", "Print the normalised model as JSON")
        .example(
          "restager explain task.json --cacert tls_ca.crt --cert tls.crt --key tls.key",
          "Also say whether these cover what each endpoint demands (TLS, client certificate)",
        ),
    handler: async (args) => {
      const loaded = await loadRequest({ file: args.file, stdin: output.stdin, app: args.app });
      printWarnings(output, loaded.warnings);
      if (args.json) {
        output.result(JSON.stringify(toJsonView(loaded.request), null, 2));
        return;
      }
      const tls = await readTlsSettings(args, output);
      const endpoints = renderEndpoints(planEndpoints(loaded.request), tls);
      output.result([renderPlan(buildPlan(loaded.request)), ...endpoints].join("\n"));
    },
  };
}
