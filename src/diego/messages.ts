/**
 * Diego's user-visible strings and the formatting they use (Go durations, bytefmt sizes).
 * Every line a step writes to the TaskLog, and every EmittableError message, comes from here so
 * the wording matches what `cf logs` shows for a real staging task (docs/diego.md §3).
 */

const NS_PER_MS = 1_000_000;
const NS_PER_S = 1_000_000_000;

/**
 * Formats a duration given in milliseconds the way Go's `time.Duration.String()` does:
 * `15m0s`, `1h0m0s`, `1.5s`, `500ms`, `0s`. Sub-nanosecond parts are rounded away.
 */
export function formatGoDuration(ms: number): string {
  const ns = Math.round(ms * NS_PER_MS);
  if (ns === 0) return "0s";
  const sign = ns < 0 ? "-" : "";
  const abs = Math.abs(ns);
  if (abs < NS_PER_S) return sign + formatSubSecond(abs);
  const totalSeconds = Math.floor(abs / NS_PER_S);
  const seconds = (totalSeconds % 60) + fraction(abs % NS_PER_S, 9);
  const totalMinutes = Math.floor(totalSeconds / 60);
  const hours = Math.floor(totalMinutes / 60);
  const minutes = totalMinutes % 60;
  if (hours > 0) return `${sign}${hours}h${minutes}m${seconds}s`;
  if (minutes > 0) return `${sign}${minutes}m${seconds}s`;
  return `${sign}${seconds}s`;
}

function formatSubSecond(ns: number): string {
  if (ns < 1_000) return `${ns}ns`;
  if (ns < NS_PER_MS) return `${Math.floor(ns / 1_000)}${fraction(ns % 1_000, 3)}µs`;
  return `${Math.floor(ns / NS_PER_MS)}${fraction(ns % NS_PER_MS, 6)}ms`;
}

/** `.5`, `.25`, or "" for a remainder of `digits` decimal places, trailing zeros dropped. */
function fraction(remainder: number, digits: number): string {
  if (remainder === 0) return "";
  return `.${String(remainder).padStart(digits, "0").replace(/0+$/, "")}`;
}

const BYTE_UNITS: readonly [string, number][] = [
  ["E", 2 ** 60],
  ["P", 2 ** 50],
  ["T", 2 ** 40],
  ["G", 2 ** 30],
  ["M", 2 ** 20],
  ["K", 2 ** 10],
];

/**
 * Formats a size the way Diego's bytefmt does: binary units, one decimal, a trailing `.0`
 * dropped, half-way cases rounded to even as Go's strconv does: `12M`, `1.2G`, `345K`, `100B`.
 */
export function formatByteSize(bytes: number): string {
  if (bytes <= 0) return "0B";
  const [unit, divisor] = BYTE_UNITS.find(([, size]) => bytes >= size) ?? ["B", 1];
  const tenths = roundHalfEven((bytes / divisor) * 10);
  const whole = Math.floor(tenths / 10);
  const decimal = tenths % 10;
  return decimal === 0 ? `${whole}${unit}` : `${whole}.${decimal}${unit}`;
}

/** Alias of formatByteSize for callers formatting transfer sizes and rates. */
export const formatBytes = formatByteSize;

function roundHalfEven(value: number): number {
  const floor = Math.floor(value);
  const diff = value - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

const ERROR_LINE_LIMIT_BYTES = 1024;
const TRUNCATION_MARK = " (error truncated)";

/**
 * Diego caps an error line written to stderr at 1024 bytes including its newline; longer lines
 * keep their first bytes and end with ` (error truncated)`. Cuts on a UTF-8 character boundary.
 */
export function truncateErrorLine(line: string): string {
  const bytes = Buffer.from(line, "utf8");
  if (bytes.length + 1 <= ERROR_LINE_LIMIT_BYTES) return line;
  let cut = ERROR_LINE_LIMIT_BYTES - Buffer.byteLength(TRUNCATION_MARK);
  while (cut > 0 && ((bytes[cut] ?? 0) & 0xc0) === 0x80) cut--;
  return bytes.subarray(0, cut).toString("utf8") + TRUNCATION_MARK;
}

/** `<base> for <artifact>`, or just `<base>` without an artifact (upload step errors). */
function forArtifact(base: string, artifact: string): string {
  return artifact === "" ? base : `${base} for ${artifact}`;
}

/** The exact strings Diego's steps write or fail with. */
export const messages = {
  downloading: (artifact: string) => `Downloading ${artifact}...`,
  downloaded: (artifact: string, sizeBytes: number | undefined) =>
    sizeBytes === undefined || sizeBytes === 0
      ? `Downloaded ${artifact}`
      : `Downloaded ${artifact} (${formatByteSize(sizeBytes)})`,
  downloadFailed: (artifact: string) =>
    artifact === "" ? "Downloading failed" : `Downloading ${artifact} failed`,
  copyFailed: (artifact: string, reason: string) =>
    artifact === ""
      ? `Copying into the container failed: ${reason}`
      : `Copying ${artifact} into the container failed: ${reason}`,

  uploading: (artifact: string) => `Uploading ${artifact}...`,
  uploaded: (artifact: string, sizeBytes: number) =>
    `Uploaded ${artifact} (${formatByteSize(sizeBytes)})`,
  /** restager's own line for `--no-upload`: not a Diego message. */
  uploadSkipped: (artifact: string, sizeBytes: number) =>
    `Skipped uploading ${artifact} (${formatByteSize(sizeBytes)}): --no-upload`,
  uploadUrlInvalid: (artifact: string) => forArtifact("Failed to parse URL", artifact),
  uploadStreamFailed: (artifact: string) =>
    forArtifact("Failed to establish stream from container", artifact),
  uploadFirstEntryFailed: (artifact: string) =>
    forArtifact("Failed to find first item in tar stream", artifact),
  uploadFailed: (artifact: string) => forArtifact("Failed to upload payload", artifact),

  /** The stdout line a run step writes when its process ended. */
  exitStatus: (status: number, details: { outOfMemory: boolean; killedAfterMs?: number }) =>
    `Exit status ${status}` +
    (details.killedAfterMs === undefined
      ? ""
      : ` (exceeded ${formatGoDuration(details.killedAfterMs)} graceful shutdown interval)`) +
    (details.outOfMemory ? " (out of memory)" : ""),
  exitedWithStatus: (source: string, status: number, outOfMemory: boolean) =>
    `${source}: Exited with status ${status}${outOfMemory ? " (out of memory)" : ""}`,
  failedCreatingProcess: (reason: string) => `failed-creating-process: ${reason}`,

  timeoutExceeded: (timeoutMs: number, innerEmittable: string | undefined) =>
    `exceeded ${formatGoDuration(timeoutMs)} timeout` +
    (innerEmittable === undefined ? "" : `; ${innerEmittable}`),
  codependentExited: "Codependent step exited",
} as const;
