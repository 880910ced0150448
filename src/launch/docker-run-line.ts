import type { AppContainerSpec } from "../container/app-runtime.js";
import { maskSecretsInText, redactArgs, redactEnvValue } from "../core/redact.js";
import { shellJoin, shellQuote } from "./shell-quote.js";

/**
 * The `docker run` command line equivalent to what `launch` asks the engine for, one option a
 * line. Display only: env values named like credentials (VCAP_SERVICES, *PASSWORD*, ...), secret
 * flag values and URL credentials are masked, and so is every string of `secrets`.
 */
export function dockerRunLine(spec: AppContainerSpec, secrets: readonly string[] = []): string {
  const [entrypoint = "", ...entrypointArgs] = spec.entrypoint;
  const options = [
    "--detach",
    `--name ${shellQuote(spec.name)}`,
    "--init",
    `--restart ${spec.restart ?? "no"}`,
    ...(spec.hostname === undefined ? [] : [`--hostname ${shellQuote(spec.hostname)}`]),
    ...Object.entries(spec.labels).map(([k, v]) => `--label ${shellQuote(`${k}=${v}`)}`),
    `--user ${shellQuote(spec.user)}`,
    `--workdir ${shellQuote(spec.workingDir)}`,
    ...spec.env.map((entry) => `--env ${shellQuote(maskedEnv(entry))}`),
    ...spec.ports.map(
      (p) => `--publish ${p.hostIp ? `${p.hostIp}:` : ""}${p.hostPort}:${p.containerPort}`,
    ),
    ...limitOptions(spec),
    ...healthOptions(spec),
    ...(spec.network === undefined ? [] : [`--network ${shellQuote(spec.network)}`]),
    ...(spec.volumes ?? []).map((dir) => `--mount ${shellQuote(`type=volume,dst=${dir}`)}`),
    `--entrypoint ${shellQuote(entrypoint)}`,
  ];
  const tail = shellJoin([spec.image, ...entrypointArgs, ...redactArgs(spec.cmd)]);
  const line = ["docker run", ...options, tail].join(" \\\n  ");
  return maskSecretsInText(line, secrets);
}

function maskedEnv(entry: string): string {
  const equals = entry.indexOf("=");
  const name = entry.slice(0, equals);
  return `${name}=${redactEnvValue(name, entry.slice(equals + 1))}`;
}

function limitOptions(spec: AppContainerSpec): string[] {
  const options: string[] = [];
  if (spec.memoryMb) options.push(`--memory ${spec.memoryMb}m`, `--memory-swap ${spec.memoryMb}m`);
  if (spec.cpuShares) options.push(`--cpu-shares ${spec.cpuShares}`);
  if (spec.nofile) options.push(`--ulimit nofile=${spec.nofile}:${spec.nofile}`);
  return options;
}

function healthOptions(spec: AppContainerSpec): string[] {
  const check = spec.healthcheck;
  if (!check) return ["--no-healthcheck"];
  const [kind, ...rest] = check.test;
  const command = kind === "CMD" ? shellJoin(rest) : rest.join(" ");
  return [
    `--health-cmd ${shellQuote(command)}`,
    `--health-interval ${seconds(check.intervalMs)}`,
    `--health-timeout ${seconds(check.timeoutMs)}`,
    `--health-retries ${check.retries}`,
    `--health-start-period ${seconds(check.startPeriodMs)}`,
  ];
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
