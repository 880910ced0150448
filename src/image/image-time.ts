import { UsageError } from "../errors.js";

/**
 * The one time written into an image: its `created` field, its history and every file's mtime.
 *
 * A fixed time is what makes the same droplet, lifecycle and stack give the same image id (the
 * id is the digest of the config, `created` included; layer digests include mtimes). It is
 * 1980-01-01T00:00:01Z rather than the Unix epoch because tools that meet the files later treat
 * times before 1980 as missing (zip cannot store them; some build tools treat mtime 0 as "never
 * built") — the convention reproducible image builders share. `SOURCE_DATE_EPOCH` (seconds, the
 * reproducible-builds.org variable) replaces it, for users who want the image dated by their
 * source revision while staying reproducible.
 */
export const defaultImageTime = new Date("1980-01-01T00:00:01Z");

export function imageTime(env: NodeJS.ProcessEnv): Date {
  const epoch = env.SOURCE_DATE_EPOCH?.trim();
  if (epoch === undefined || epoch === "") return defaultImageTime;
  if (!/^\d{1,12}$/.test(epoch)) {
    throw new UsageError(`SOURCE_DATE_EPOCH must be whole seconds since 1970, not '${epoch}'`, {
      hint: "Unset it, or set it to e.g. $(git log -1 --format=%ct)",
    });
  }
  return new Date(Number(epoch) * 1000);
}

/** `2006-01-02T15:04:05Z`: RFC 3339 without fractions, as the label and config carry it. */
export function formatImageTime(time: Date): string {
  return time.toISOString().replace(/\.\d{3}Z$/, "Z");
}
