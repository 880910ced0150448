import type { Argv, CommandModule } from "yargs";
import { UsageError } from "../../errors.js";
import { loadTaskRequest } from "../../request-input/load-request.js";
import { parseStackMappings, resolveStackImage } from "../../restage/stack-image.js";
import type { Output } from "../output.js";
import { printWarnings } from "../print-warnings.js";
import { printDryRun } from "../restage/print-dry-run.js";
import { readPasswordFromStdin, withImageFlags, type ImageFlags } from "../restage/image-flags.js";
import { runRestage } from "../restage/run-restage.js";
import { readTlsSettings, withTlsFlags, type TlsFlags } from "../tls-flags.js";
import { commandSummaries } from "./summaries.js";

export interface RestageArgs extends ImageFlags, TlsFlags {
  file?: string;
  app?: string;
  stack: string[];
  network?: string;
  cacheDir?: string;
  trustedCerts?: string;
  resolve: string[];
  upload: boolean;
  outputDir?: string;
  dryRun?: boolean;
  keep?: boolean;
  json?: boolean;
  /** `--no-image`: false. */
  image?: boolean;
  callback?: boolean;
  /** `--memory`: the staging container's memory limit in MB, instead of the task's memory_mb. */
  memory?: string;
}

/** `restager restage [FILE|-]` (also `restage`): execute a staging task on Docker. */
export function restageCommand(output: Output): CommandModule<object, RestageArgs> {
  return {
    ...commandSummaries.restage,
    builder: (yargs) => restageOptions(yargs),
    handler: async (args) => {
      const loaded = await loadTaskRequest({ file: args.file, stdin: output.stdin, app: args.app });
      printWarnings(output, loaded.warnings);
      const tls = await readTlsSettings(args, output);
      if (args.memory !== undefined) {
        const definition = { ...loaded.request.definition, memoryMb: parseMemoryMb(args.memory) };
        loaded.request = { ...loaded.request, definition };
      }
      const stacks = parseStackMappings(args.stack);
      const image = resolveStackImage(loaded.request.definition.rootfs, stacks);
      if (args.dryRun) {
        printDryRun(output, loaded.request, { image, args, tls });
        return;
      }
      const password = await registryPassword(output, args);
      output.exitCode = await runRestage(output, loaded.request, image, args, { password, tls });
    },
  };
}

function restageOptions(yargs: Argv): Argv<RestageArgs> {
  const options = yargs
    .positional("file", {
      type: "string",
      describe: "Task JSON, cfdot task output or lager log lines; '-' or omitted reads stdin",
    })
    .option("app", { type: "string", describe: "With log input: pick this app's latest request" })
    .option("stack", {
      type: "string",
      array: true,
      requiresArg: true,
      default: [] as string[],
      describe: "Map a preloaded stack to an image: NAME=IMAGE (default restager/NAME:latest)",
    })
    .option("network", { type: "string", describe: "Docker network for the staging container" })
    .option("cache-dir", {
      type: "string",
      describe: "Download cache (default $XDG_CACHE_HOME/restager or ~/.cache/restager)",
    })
    .option("trusted-certs", {
      type: "string",
      describe:
        "Directory of CA certificates mounted read-only at the task's trusted_system_certificates_path (default: the host's)",
    })
    .option("resolve", {
      type: "string",
      array: true,
      requiresArg: true,
      default: [] as string[],
      describe: "Send HOST[:PORT] to ADDR[:PORT], like curl --resolve (repeatable)",
    })
    .option("upload", {
      type: "boolean",
      default: true,
      describe: "Upload the droplet and cache to cc-uploader (--no-upload keeps them on disk)",
    })
    .option("output-dir", {
      type: "string",
      describe: "Keep the droplet and build artifacts cache here (default ./restager-out/<app>)",
    })
    .option("dry-run", { type: "boolean", describe: "Print what would be done; touch nothing" })
    .option("keep", { type: "boolean", describe: "Leave the staging container for debugging" })
    .option("memory", {
      type: "string",
      alias: "m",
      describe:
        "Memory limit of the staging container (512, 512m, 2g; MB without a unit) instead of the task's memory_mb",
    })
    .option("image", {
      type: "boolean",
      default: true,
      describe: "Build a runnable image from the droplet after staging (--no-image skips it)",
    })
    .option("callback", {
      type: "boolean",
      describe: "POST the task completion callback to completion_callback_url, as BBS does",
    });
  return withTlsFlags(withImageFlags(options))
    .example("build_req --log stager.log | restage", "Restage the latest staging request")
    .example("restage task.json --no-upload --output-dir out", "Stage; keep the droplet in out/")
    .example("restage task.json --push --registry 127.0.0.1:5000", "Also push the image")
    .example("restage task.json --callback", "Tell Cloud Controller (or the stager) the task ended")
    .example(
      "restage task.json --resolve '*.service.cf.internal=10.244.0.34'",
      "Reach platform-internal names through an address",
    );
}

/** --registry-password-stdin: stdin must not also carry the request. */
async function registryPassword(output: Output, args: RestageArgs): Promise<string | undefined> {
  if (args.registryPasswordStdin !== true) return undefined;
  if (args.file === undefined || args.file === "-") {
    throw new UsageError("--registry-password-stdin needs the request in a file, not on stdin", {
      hint: "Save the request first: build_req ... > task.json; restage task.json --registry-password-stdin",
    });
  }
  return readPasswordFromStdin(output.stdin);
}

/** `--memory`: MB, as a number or with docker's `m` / `g` unit. */
export function parseMemoryMb(text: string): number {
  const match = /^(\d+)([mg]?)$/i.exec(text.trim());
  const value = match ? Number(match[1]) * (match[2]?.toLowerCase() === "g" ? 1024 : 1) : 0;
  if (!match || value <= 0) {
    throw new UsageError(`--memory ${text}: not a memory size`, {
      hint: "Give megabytes (1024), or a number with m or g (1024m, 2g)",
    });
  }
  return value;
}
