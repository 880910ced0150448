import { gardenDefaults as processDefaults } from "../core/garden-env.js";
import { mergeEnv, withDefaults } from "../core/merge-env.js";
import type { EnvVar } from "../core/env-var.js";

/** Where each part of an instance's environment comes from. */
export interface EnvSources {
  /** The LRP's container-level `env` (LANG=en_US.UTF-8). */
  lrpEnv: readonly EnvVar[];
  /** The executor's container-level additions: CF_SYSTEM_CERT_PATH, CF_INSTANCE_CERT/KEY. */
  executorEnv?: readonly EnvVar[] | undefined;
  /** The launcher run action's `env`, exactly as recorded (after the proxy rule). */
  runEnv: readonly EnvVar[];
  /** Garden's defaults, set only when absent (PATH, USER). */
  defaults: readonly EnvVar[];
  /** `--env-file` variables, then `--env` ones: the user's word is last. */
  envFile: readonly EnvVar[];
  overrides: readonly EnvVar[];
}

/** The rep's per-instance variables (docs/diego.md §4.7 item 1). */
export function repEnv(index: string, guid: string): EnvVar[] {
  return [
    { name: "INSTANCE_GUID", value: guid },
    { name: "INSTANCE_INDEX", value: index },
    { name: "CF_INSTANCE_GUID", value: guid },
    { name: "CF_INSTANCE_INDEX", value: index },
  ];
}

/**
 * The environment of one instance, in Diego's order: the container level (rep variables, then
 * the LRP's `env`), then the process level (the run action's env, then the executor's
 * networking variables), Garden's defaults where absent, and last the user's `--env-file` and
 * `--env` values. A name set twice keeps its first position and its last value.
 */
export function instanceEnv(
  sources: EnvSources,
  rep: readonly EnvVar[],
  networking: readonly EnvVar[],
): EnvVar[] {
  const container = [...rep, ...sources.lrpEnv, ...(sources.executorEnv ?? [])];
  const diego = mergeEnv(container, sources.runEnv, networking);
  return mergeEnv(withDefaults(diego, sources.defaults), sources.envFile, sources.overrides);
}

/**
 * Garden's defaults for a process (docs/diego.md §4.7 item 6): PATH for a preloaded stack
 * (a docker rootfs keeps its image's PATH) and USER, the run action's user.
 */
export function gardenDefaults(rootfs: string, user: string): EnvVar[] {
  return processDefaults({ name: user }, { path: rootfs.startsWith("preloaded:") });
}
