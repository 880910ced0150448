import type { Argv, CommandModule } from "yargs";
import { withTlsFlags, type TlsFlags } from "../tls-flags.js";
import type { Output } from "../output.js";
import { runExplain } from "../wiring/explain.js";
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
    handler: (args) =>
      runExplain(output, { file: args.file, app: args.app, json: args.json === true, tls: args }),
  };
}
