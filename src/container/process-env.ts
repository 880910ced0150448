import type { ContainerUser } from "./container.js";

/** Guardian's default PATHs (rundmc/runrunc), used only when no env entry names PATH. */
export const defaultPath = "/usr/local/bin:/usr/bin:/bin";
export const defaultRootPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/**
 * The environment of a run process, as Garden builds it: the container env followed by the
 * process env, duplicates resolved to the **last** value (runc), then `PATH`, `USER` and `HOME`
 * added only when absent. Entries without `=` are dropped (Docker would read them as "copy from
 * the client's env", which has no meaning here). Names are matched exactly (Guardian's
 * substring test would treat `MANPATH=` as a PATH; that quirk is not reproduced).
 */
export function processEnv(
  containerEnv: readonly string[],
  specEnv: readonly string[],
  user: ContainerUser,
): string[] {
  const values = new Map<string, string>();
  for (const entry of [...containerEnv, ...specEnv]) {
    const eq = entry.indexOf("=");
    if (eq <= 0) continue;
    values.set(entry.slice(0, eq), entry.slice(eq + 1));
  }
  if (!values.has("PATH")) values.set("PATH", user.uid === 0 ? defaultRootPath : defaultPath);
  if (!values.has("USER")) values.set("USER", user.name);
  if (!values.has("HOME")) values.set("HOME", user.home);
  return [...values].map(([name, value]) => `${name}=${value}`);
}

/** Names a POSIX shell keeps in the environment it passes on (dash drops all others). */
export function isShellSafeName(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name);
}
