import type { EnvVar } from "../core/env-var.js";

/**
 * Merges env layers in order: a later layer's variable replaces an earlier one's value where the
 * earlier one stood (one entry per name, so the process never sees duplicates whose winner
 * depends on the libc).
 */
export function mergeEnv(...layers: readonly (readonly EnvVar[])[]): EnvVar[] {
  const merged: EnvVar[] = [];
  const at = new Map<string, number>();
  for (const layer of layers) {
    for (const variable of layer) {
      const index = at.get(variable.name);
      if (index === undefined) {
        at.set(variable.name, merged.length);
        merged.push({ name: variable.name, value: variable.value });
      } else merged[index] = { name: variable.name, value: variable.value };
    }
  }
  return merged;
}

/** Adds the variables of `defaults` that `env` does not have, at the end. */
export function withDefaults(env: readonly EnvVar[], defaults: readonly EnvVar[]): EnvVar[] {
  const names = new Set(env.map((variable) => variable.name));
  return [...env, ...defaults.filter((variable) => !names.has(variable.name))];
}

/** `NAME=value` strings, as Docker takes them. */
export function envStrings(env: readonly EnvVar[]): string[] {
  return env.map((variable) => `${variable.name}=${variable.value}`);
}
