import type { Argv, CommandModule } from "yargs";
import type { FindRequest } from "../../app/find-request.js";
import type { Output } from "../output.js";
import { runFindRequest } from "../wiring/find-request.js";
import { commandSummaries } from "./summaries.js";

/** The options of build-req and launch-req, as yargs (or request-fast-path.ts) gives them. */
export interface RequestArgs {
  log?: string[] | undefined;
  app?: string | undefined;
  list?: boolean | undefined;
  all?: boolean | undefined;
  json?: boolean | undefined;
}

interface RequestCommandSpec {
  name: string;
  family: FindRequest["family"];
  describe: string;
  examples: [string, string][];
}

/** `build-req`: prints the latest staging task request found in stager logs. */
export function buildReqCommand(output: Output): CommandModule<object, RequestArgs> {
  return requestCommand(output, {
    name: "build-req",
    family: "task",
    describe: commandSummaries["build-req"].describe,
    examples: [
      ["$0 build-req --log stager.stdout.log > task.json", "the latest staging task, as logged"],
      ["$0 build-req --app my-app --list", "every staging of an app, one line each"],
      [
        "bosh ssh cc_bridge/0 cat /var/vcap/sys/log/stager/stager.stdout.log | $0 build-req",
        "read stdin",
      ],
    ],
  });
}

/** The shape build-req and launch-req share: flags → RequestQuery → results on stdout. */
export function requestCommand(
  output: Output,
  spec: RequestCommandSpec,
): CommandModule<object, RequestArgs> {
  return {
    command: spec.name,
    describe: spec.describe,
    builder: (yargs: Argv) => requestOptions(yargs).example(spec.examples),
    handler: requestHandler(output, spec.family),
  };
}

/** What build-req (family task) and launch-req (family lrp) do with their options. */
export function requestHandler(
  output: Output,
  family: FindRequest["family"],
): (args: RequestArgs) => Promise<void> {
  return async (args) => {
    const mode = args.list === true ? "list" : args.all === true ? "all" : "latest";
    await runFindRequest(output, {
      family,
      mode,
      files: args.log ?? [],
      app: args.app,
      json: args.json === true,
      header: output.stdoutIsTty,
    });
  };
}

function requestOptions(yargs: Argv): Argv<RequestArgs> {
  return yargs
    .option("log", {
      type: "string",
      array: true,
      requiresArg: true,
      describe:
        "Log file to read (repeatable; .gz and rotated files work). Default: stdin, else the usual paths",
    })
    .option("app", {
      type: "string",
      requiresArg: true,
      describe: "Only requests for this app name or app/staging/process guid",
    })
    .option("list", {
      type: "boolean",
      describe: "List every request found, one line each (tab-separated)",
    })
    .option("all", {
      type: "boolean",
      describe: "Print every matching request, one JSON document per line",
    })
    .conflicts("list", "all");
}
