import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { NoInputError, UsageError } from "../../errors.js";
import { parseEnvAssignment, parseEnvFile } from "../../launch/env-assignments.js";
import type { LaunchOptions } from "../../launch/launch-options.js";
import { parsePublish } from "../../launch/publish-spec.js";
import type { LaunchArgs } from "./launch-args.js";
import type { EnvVar } from "../../core/env-var.js";

/** LaunchOptions from the flags, all but the image (resolved later, it may need Docker). */
export async function launchSettings(
  args: LaunchArgs,
  hostEnv: NodeJS.ProcessEnv,
): Promise<Omit<LaunchOptions, "image">> {
  if (args.instances !== undefined && (!Number.isInteger(args.instances) || args.instances < 1)) {
    throw new UsageError(`--instances ${args.instances}: expected a whole number from 1`);
  }
  if (args.startTimeout !== undefined && !(args.startTimeout > 0)) {
    throw new UsageError(`--start-timeout ${args.startTimeout}: expected seconds above 0`);
  }
  const envFile: EnvVar[] = [];
  for (const file of args.envFile)
    envFile.push(...parseEnvFile(await readEnvFile(file), hostEnv, file));
  return {
    instances: args.instances,
    network: args.network,
    publish: args.publish.map(parsePublish),
    envFile,
    env: args.env.flatMap((text) => parseEnvAssignment(text, hostEnv) ?? []),
    keepProxy: args.keepProxy === true,
    withSsh: args.withSsh === true,
    startTimeoutMs:
      args.startTimeout === undefined ? undefined : Math.round(args.startTimeout * 1000),
    labels: parseLabels(args.label),
    runId: randomBytes(6).toString("hex"),
    hostEnv,
  };
}

async function readEnvFile(file: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (cause) {
    throw new NoInputError(`Cannot read the env file ${file}`, {
      hint: "Check the path given to --env-file",
      cause,
    });
  }
}

/** `--label KEY=VALUE`; restager's own keys cannot be replaced (its values win). */
function parseLabels(labels: readonly string[]): Record<string, string> {
  const parsed: Record<string, string> = {};
  for (const label of labels) {
    const equals = label.indexOf("=");
    const key = equals < 0 ? label : label.slice(0, equals);
    if (key === "") throw new UsageError(`--label ${label}: expected KEY=VALUE`);
    parsed[key] = equals < 0 ? "" : label.slice(equals + 1);
  }
  return parsed;
}
