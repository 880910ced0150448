import { createServer } from "node:net";
import type { AppPlan } from "./app-plan.js";
import type { InstancePort } from "./instance-plan.js";

/** Finds a host port nobody listens on, other than those in `taken`. */
export type FreePortFinder = (taken: ReadonlySet<number>) => Promise<number>;

/**
 * Asks the kernel for a free port (bind to 0.0.0.0:0, read it, release it). Another process
 * can take it before Docker binds it: the caller retries on "port is already allocated".
 */
export const findFreePort: FreePortFinder = async (taken) => {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await kernelPort();
    if (!taken.has(port)) return port;
  }
  throw new Error("no free host port found in 20 attempts");
};

function kernelPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen({ port: 0, host: "0.0.0.0", exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * The host ports of instance `index`: a `--publish HOST:CONTAINER` port is given to instance 0
 * and HOST+i to instance i (one host port cannot serve two containers); other ports get a free
 * port each. Chosen ports are added to `taken`.
 */
export async function chooseHostPorts(
  app: AppPlan,
  { index, taken, findPort }: { index: number; taken: Set<number>; findPort: FreePortFinder },
): Promise<InstancePort[]> {
  const ports: InstancePort[] = [];
  for (const { containerPort, fixed } of app.published) {
    const hostPort = fixed ? fixed.hostPort + index : await findPort(taken);
    taken.add(hostPort);
    ports.push({ containerPort, hostPort, hostIp: fixed?.hostIp });
  }
  return ports;
}

/** Whether every host port of the app was chosen by the user (then a clash cannot be retried). */
export function hasOnlyFixedPorts(app: AppPlan): boolean {
  return app.published.every((port) => port.fixed !== undefined);
}
