/** Looking up launcher images in the engine. Errors are left to the caller to translate. */
import type Docker from "dockerode";
import type { AppImage } from "./app-runtime.js";
import { isNotFound } from "./docker-errors.js";

export async function findAppImage(docker: Docker, ref: string): Promise<AppImage | undefined> {
  try {
    const info = await docker.getImage(ref).inspect();
    return {
      id: info.Id,
      ref,
      createdMs: Date.parse(info.Created),
      labels: info.Config.Labels ?? {},
    };
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/**
 * The newest image labelled `label=value`: the latest of creation and local tag time. restage
 * writes reproducible images whose `Created` is a fixed date, so among them the engine's
 * LastTagTime (when the image was loaded or tagged here) decides.
 */
export async function newestAppImage(
  docker: Docker,
  label: string,
  value: string,
): Promise<AppImage | undefined> {
  const images = await docker.listImages({ filters: { label: [`${label}=${value}`] } });
  const dated = await Promise.all(
    images.map(async (image) => ({ image, time: await imageTime(docker, image) })),
  );
  const newest = dated.sort((a, b) => b.time - a.time)[0]?.image;
  if (!newest) return undefined;
  const tag = (newest.RepoTags ?? []).find((t) => t !== "<none>:<none>");
  return {
    id: newest.Id,
    ref: tag ?? newest.Id,
    createdMs: newest.Created * 1000,
    labels: newest.Labels ?? {},
  };
}

async function imageTime(docker: Docker, image: Docker.ImageInfo): Promise<number> {
  const created = image.Created * 1000;
  // The engine reports Metadata.LastTagTime; dockerode's types leave it out.
  const info = (await docker
    .getImage(image.Id)
    .inspect()
    .catch(() => undefined)) as { Metadata?: { LastTagTime?: string } } | undefined;
  const tagged = Date.parse(info?.Metadata?.LastTagTime ?? "");
  return Number.isFinite(tagged) ? Math.max(created, tagged) : created;
}
