/** The composition root of `explain`: stdin, the TLS flags; the plan or JSON view printed. */
import { explain, type ExplainRequest } from "../../app/explain.js";
import { renderEndpoints } from "../endpoints-report.js";
import type { Output } from "../output.js";
import { printWarnings } from "../print-warnings.js";
import { readTlsSettings, type TlsFlags } from "../tls-flags.js";

export async function runExplain(
  output: Output,
  request: ExplainRequest & { tls: TlsFlags },
): Promise<void> {
  const report = await explain(request, {
    stdin: output.stdin,
    tls: () => readTlsSettings(request.tls, output),
    onInputWarnings: (warnings) => printWarnings(output, warnings),
  });
  if (report.kind === "json") {
    output.result(JSON.stringify(report.view, null, 2));
    return;
  }
  output.result([report.text, ...renderEndpoints(report.endpoints, report.tls)].join("\n"));
}
