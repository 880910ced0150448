import { gardenDefaults } from "../core/garden-env.js";
import { envStrings, mergeEnv, withDefaults } from "../core/merge-env.js";
import type { ContainerUser } from "./container.js";
import type { EnvVar } from "../core/env-var.js";

export { defaultPath, defaultRootPath } from "../core/garden-env.js";

/**
 * The environment of a run process, as Garden builds it: the container env followed by the
 * process env, one entry per name at its first position with its **last** value, then Garden's
 * and runc's defaults (PATH, USER, HOME) where absent (src/core/garden-env.ts). Entries
 * without `=` are dropped (Docker would read them as "copy from the client's env", which has no
 * meaning here). Names are matched exactly (Guardian's old substring test would treat `MANPATH=`
 * as a PATH; that quirk is not reproduced).
 */
export function processEnv(
  containerEnv: readonly string[],
  specEnv: readonly string[],
  user: ContainerUser,
): string[] {
  const merged = mergeEnv(parseEnv(containerEnv), parseEnv(specEnv));
  const defaults = gardenDefaults({ name: user.name, uid: user.uid, home: user.home });
  return envStrings(withDefaults(merged, defaults));
}

/** `NAME=value` entries as variables; entries without a name or `=` are dropped. */
export function parseEnv(entries: readonly string[]): EnvVar[] {
  return entries.flatMap((entry) => {
    const eq = entry.indexOf("=");
    return eq <= 0 ? [] : [{ name: entry.slice(0, eq), value: entry.slice(eq + 1) }];
  });
}

/** Names a POSIX shell keeps in the environment it passes on (dash drops all others). */
export function isShellSafeName(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name);
}
