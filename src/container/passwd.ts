import type { ContainerUser } from "./container.js";

/**
 * Parses /etc/passwd text (`name:password:uid:gid:gecos:home:shell`). Blank lines, comments and
 * malformed lines (too few fields, non-numeric ids) are skipped rather than fatal: one odd line
 * in a stack image must not make every user unresolvable.
 */
export function parsePasswd(text: string): ContainerUser[] {
  const users: ContainerUser[] = [];
  for (const line of text.split("\n")) {
    const trimmed = line.replace(/\r$/, "");
    if (trimmed === "" || trimmed.startsWith("#")) continue;
    const fields = trimmed.split(":");
    if (fields.length < 6) continue;
    const [name, , uidText, gidText, , home] = fields;
    if (!name || !uidText || !gidText || !/^\d+$/.test(uidText) || !/^\d+$/.test(gidText)) {
      continue;
    }
    users.push({ name, uid: Number(uidText), gid: Number(gidText), home: home ?? "" });
  }
  return users;
}

/** The first entry named `name` (getpwnam semantics), or undefined. */
export function findPasswdUser(text: string, name: string): ContainerUser | undefined {
  return parsePasswd(text).find((user) => user.name === name);
}
