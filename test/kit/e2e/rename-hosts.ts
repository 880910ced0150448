/**
 * The task with `host` replaced by `name` in every URL's authority (ports kept). URLs nested,
 * percent-encoded, in a query (cc-uploader's CC URI) keep the address: the fake cc-uploader,
 * not restager, connects to those.
 */
export function renameHosts(task: unknown, host: string, name: string): unknown {
  const escaped = host.replaceAll(".", "\\.");
  const authority = new RegExp(`(https?://(?:[^/@"\\s]*@)?)${escaped}(?=[:/"])`, "g");
  const renamed = JSON.stringify(task).replace(authority, `$1${name}`);
  if (!renamed.includes(name)) throw new Error(`no URL with host ${host} in the task`);
  return JSON.parse(renamed);
}
