/**
 * Force-removes what a benchmark run made in Docker: containers (leftovers only, restager and the
 * baseline remove theirs) and the images restager built, found by label (`key=value`).
 */
import { runProcess } from "./run-process.js";

export async function removeDockerObjects(
  labels: readonly string[],
): Promise<{ containers: number; images: number }> {
  const removed = { containers: 0, images: 0 };
  for (const label of labels) {
    const containers = await list(["ps", "-aq", "--filter", `label=${label}`]);
    if (containers.length > 0) await runProcess("docker", ["rm", "-f", "-v", ...containers]);
    const images = await list(["images", "-q", "--filter", `label=${label}`]);
    if (images.length > 0) await runProcess("docker", ["rmi", "-f", ...new Set(images)]);
    removed.containers += containers.length;
    removed.images += new Set(images).size;
  }
  return removed;
}

async function list(args: string[]): Promise<string[]> {
  const listed = await runProcess("docker", args);
  return listed.stdout.split("\n").filter((id) => id !== "");
}
