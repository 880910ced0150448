import type { RunAction } from "../diego/actions.js";
import type { DesiredLrp } from "../diego/desired-lrp.js";
import { UsageError } from "../errors.js";
import type { PublishSpec } from "./publish-spec.js";

/** diego-sshd's port: its `-address=HOST:PORT` flag, else the diego-ssh route, else 2222. */
export function sshdPort(lrp: DesiredLrp, sshd: RunAction | undefined): number | undefined {
  if (!sshd) return undefined;
  for (const arg of sshd.args) {
    const match = /^--?address=.*:(\d+)$/.exec(arg);
    if (match) return Number(match[1]);
  }
  return lrp.routes.ssh?.containerPort ?? 2222;
}

/**
 * The LRP ports `launch` publishes: all of them, except diego-sshd's unless --with-ssh. Each
 * `--publish` must name one of them; it fixes that port's host port.
 */
export function publishedPorts(
  lrp: DesiredLrp,
  options: { sshd: RunAction | undefined; withSsh: boolean; publish: readonly PublishSpec[] },
): { containerPort: number; fixed?: PublishSpec | undefined }[] {
  const skipped = options.withSsh ? undefined : sshdPort(lrp, options.sshd);
  const ports = lrp.ports.filter((port) => port !== skipped);
  for (const spec of options.publish) {
    if (ports.includes(spec.containerPort)) continue;
    const reason =
      spec.containerPort === skipped
        ? `port ${skipped} is diego-sshd's; add --with-ssh to run and publish it`
        : `the LRP's ports are ${lrp.ports.join(", ") || "none"}`;
    throw new UsageError(`--publish ${spec.hostPort}:${spec.containerPort}: ${reason}`, {
      hint: "Publish one of the ports the desired LRP lists in 'ports'",
    });
  }
  return ports.map((containerPort) => ({
    containerPort,
    fixed: options.publish.find((spec) => spec.containerPort === containerPort),
  }));
}
