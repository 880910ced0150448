import { posix } from "node:path";

/**
 * The home directory a Diego user has in the cflinuxfs rootfs: `/root` for root, else
 * `/home/<user>`. Run actions without `dir` start there, and relative download targets resolve
 * against it (docs/diego.md §3.2 step 6, §3.4).
 */
export function homeDir(user: string): string {
  return user === "root" ? "/root" : `/home/${user}`;
}

/** `to` of a download as an absolute path in the container. */
export function resolveInHome(user: string, path: string): string {
  return posix.resolve(homeDir(user), path);
}
