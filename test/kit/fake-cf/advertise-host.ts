/**
 * The address containers use to reach the fake: the docker0 bridge's host address (the
 * containers' gateway, usually 172.17.0.1). Node lists only interfaces that are up, and
 * docker0 is down while no container runs, so `ip` is asked as a fallback.
 */
import { execFile } from "node:child_process";
import { networkInterfaces } from "node:os";

const FALLBACK = "127.0.0.1";

export async function detectAdvertiseHost(): Promise<string> {
  const listed = networkInterfaces().docker0?.find((a) => a.family === "IPv4")?.address;
  return listed ?? (await askIp()) ?? FALLBACK;
}

function askIp(): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile("ip", ["-4", "-o", "addr", "show", "docker0"], { timeout: 2000 }, (error, stdout) => {
      resolve(error === null ? /\binet\s+([0-9.]+)\//.exec(stdout)?.[1] : undefined);
    });
  });
}
