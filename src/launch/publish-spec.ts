import { UsageError } from "../errors.js";

/** One `--publish [IP:]HOST:CONTAINER`. */
export interface PublishSpec {
  hostIp?: string | undefined;
  hostPort: number;
  containerPort: number;
}

const pattern = /^(?:(\d{1,3}(?:\.\d{1,3}){3}):)?(\d+):(\d+)$/;

export function parsePublish(text: string): PublishSpec {
  const match = pattern.exec(text.trim());
  const hostPort = Number(match?.[2]);
  const containerPort = Number(match?.[3]);
  if (!match || !isPort(hostPort) || !isPort(containerPort)) {
    throw new UsageError(`--publish ${text}: expected [IP:]HOST:CONTAINER with ports 1-65535`, {
      hint: "For example --publish 8080:8080 or --publish 127.0.0.1:9000:8080",
    });
  }
  return { hostIp: match[1], hostPort, containerPort };
}

function isPort(value: number): boolean {
  return Number.isInteger(value) && value >= 1 && value <= 65535;
}
