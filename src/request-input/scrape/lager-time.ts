/**
 * A lager timestamp kept to the nanosecond. lager writes either seconds since the epoch with 9
 * decimals as a string (`"1465495532.123456717"`, docs/diego.md §1.1) or RFC3339 with 9
 * decimals (`"2018-06-01T12:00:00.123456789Z"`, §1.2). A JS number would lose the last digits,
 * and those digits order requests logged within the same microsecond.
 */
export interface LagerTime {
  /** Nanoseconds since the Unix epoch. */
  ns: bigint;
  /** RFC3339 in UTC with 9 decimals. */
  readonly iso: string;
}

const epochPattern = /^(\d+)(?:\.(\d+))?$/;
const rfc3339Pattern = /^(\d{4}-\d\d-\d\d[Tt ]\d\d:\d\d:\d\d)(?:\.(\d+))?([Zz]|[+-]\d\d:\d\d)$/;
const nsPerSecond = 1_000_000_000n;

/** Parses either lager format (or a plain number of seconds); undefined for anything else. */
export function parseLagerTime(value: unknown): LagerTime | undefined {
  if (typeof value === "number" && Number.isFinite(value) && value >= 0) {
    return fromNs(BigInt(Math.round(value * 1e6)) * 1000n);
  }
  if (typeof value !== "string") return undefined;
  const epoch = epochPattern.exec(value);
  if (epoch) return fromNs(BigInt(epoch[1] ?? "0") * nsPerSecond + fractionNs(epoch[2]));
  const rfc = rfc3339Pattern.exec(value);
  if (!rfc) return undefined;
  const ms = Date.parse(`${(rfc[1] ?? "").replace(" ", "T")}${rfc[3] ?? "Z"}`);
  if (Number.isNaN(ms)) return undefined;
  return fromNs(BigInt(Math.floor(ms / 1000)) * nsPerSecond + fractionNs(rfc[2]));
}

/** "1234" (the digits after the decimal point) → 123400000 ns; digits past the 9th are dropped. */
function fractionNs(digits: string | undefined): bigint {
  if (!digits) return 0n;
  return BigInt(digits.slice(0, 9).padEnd(9, "0"));
}

/** `iso` is spelled out when first read: most scrapes only compare `ns` (or print nothing). */
function fromNs(ns: bigint): LagerTime {
  let iso: string | undefined;
  return {
    ns,
    get iso() {
      iso ??= isoOf(ns);
      return iso;
    },
  };
}

function isoOf(ns: bigint): string {
  const seconds = ns / nsPerSecond;
  const fraction = (ns % nsPerSecond).toString().padStart(9, "0");
  const whole = new Date(Number(seconds) * 1000).toISOString().slice(0, 19);
  return `${whole}.${fraction}Z`;
}
