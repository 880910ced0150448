/**
 * Reads the expiry time a signed URL carries in its query, when it has one: `expires=<unix s>`
 * (Cloud Controller / WebDAV blobstore, S3 v2, GCS v2), `X-Amz-Date` + `X-Amz-Expires` (S3 v4),
 * `X-Goog-Date` + `X-Goog-Expires` (GCS v4) or `se=<ISO time>` (Azure SAS).
 */
export function findUrlExpiry(url: string): Date | undefined {
  let params: URLSearchParams;
  try {
    params = new URL(url).searchParams;
  } catch {
    return undefined;
  }
  const get = (name: string): string | undefined => {
    for (const [key, value] of params) if (key.toLowerCase() === name) return value;
    return undefined;
  };
  return (
    fromUnixSeconds(get("expires")) ??
    fromSignedDate(get("x-amz-date"), get("x-amz-expires")) ??
    fromSignedDate(get("x-goog-date"), get("x-goog-expires")) ??
    fromIso(get("se"))
  );
}

function fromUnixSeconds(value: string | undefined): Date | undefined {
  if (value === undefined || !/^\d{1,12}$/.test(value)) return undefined;
  return new Date(Number(value) * 1000);
}

/** `20240131T235959Z` plus a lifetime in seconds. */
function fromSignedDate(date: string | undefined, lifetime: string | undefined): Date | undefined {
  if (date === undefined || lifetime === undefined || !/^\d{1,9}$/.test(lifetime)) return undefined;
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(date);
  if (!m) return undefined;
  const start = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
  return new Date(start + Number(lifetime) * 1000);
}

function fromIso(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : new Date(time);
}
