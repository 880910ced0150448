import { homedir } from "node:os";
import { isAbsolute, join } from "node:path";

/**
 * restager's download cache: `$XDG_CACHE_HOME/restager`, or `~/.cache/restager` when the
 * variable is unset or not absolute (the XDG spec says relative values are to be ignored).
 */
export function defaultCacheDir(
  env: Readonly<Record<string, string | undefined>>,
  home: string = homedir(),
): string {
  const xdg = env["XDG_CACHE_HOME"];
  const base = xdg !== undefined && isAbsolute(xdg) ? xdg : join(home, ".cache");
  return join(base, "restager");
}
