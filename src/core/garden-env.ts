import type { EnvVar } from "../core/env-var.js";
/**
 * What Garden and runc add to every process's environment when the container and process env
 * do not set it (guardian rundmc/processes/unix_env.go; runc sets HOME from the passwd entry).
 * Used by the staging container (src/container/process-env.ts) and by launched instances
 * (src/launch/instance-env.ts).
 */

/** Garden's default PATH for a non-root user, and for root (uid 0). */
export const defaultPath = "/usr/local/bin:/usr/bin:/bin";
export const defaultRootPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

export interface ProcessUser {
  /** The run action's user; "" means root, as in Garden. */
  name: string;
  /** From the container's passwd; undefined: root only when named `root`. */
  uid?: number | undefined;
  /** From the container's passwd; undefined leaves HOME to the engine. */
  home?: string | undefined;
}

/**
 * The defaults, in Garden's order (PATH, USER), then runc's HOME. `path: false` leaves PATH out
 * for a caller whose env does not include the image's own (a docker rootfs's PATH comes from its
 * image, so Garden's default never applies there).
 */
export function gardenDefaults(user: ProcessUser, options: { path?: boolean } = {}): EnvVar[] {
  const name = user.name === "" ? "root" : user.name;
  const isRoot = user.uid === undefined ? name === "root" : user.uid === 0;
  const defaults: EnvVar[] = [];
  if (options.path !== false) {
    defaults.push({ name: "PATH", value: isRoot ? defaultRootPath : defaultPath });
  }
  defaults.push({ name: "USER", value: name });
  if (user.home !== undefined) defaults.push({ name: "HOME", value: user.home });
  return defaults;
}

/** Garden names a container's host after its handle, keeping the last 49 characters. */
export function gardenHostname(handle: string): string {
  return handle.length > 49 ? handle.slice(handle.length - 49) : handle;
}
