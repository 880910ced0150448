import { childPath, describeJsonType, type IssueLog } from "./issue-log.js";

/** One element of a JSON array, with its path (`actions[2]`). */
export interface JsonElement {
  value: unknown;
  path: string;
}

export interface NumberBounds {
  min?: number | undefined;
  max?: number | undefined;
}

/**
 * A cursor over one JSON object of unknown shape. Each typed read records a problem with its JSON
 * path in the IssueLog instead of throwing, so a whole request is checked in one pass. `null` is
 * read as "absent" everywhere: Go's encoder emits it for nil slices and maps. Every key read (or
 * declared with `ignore`) counts as known; `finish()` warns about the others.
 */
export class JsonReader {
  private readonly known = new Set<string>();

  constructor(
    readonly fields: Readonly<Record<string, unknown>>,
    readonly path: string,
    readonly log: IssueLog,
  ) {}

  /** A reader over `value`, or undefined after recording an error when it is not an object. */
  static of(value: unknown, path: string, log: IssueLog): JsonReader | undefined {
    if (isJsonObject(value)) return new JsonReader(value, path, log);
    log.error(path, `expected an object, got ${describeJsonType(value)}`);
    return undefined;
  }

  pathOf(key: string): string {
    return childPath(this.path, key);
  }

  /** Present with a non-null value. Marks the key as known. */
  has(key: string): boolean {
    return this.raw(key) !== undefined;
  }

  /** The raw value, `undefined` when absent or null. Marks the key as known. */
  raw(key: string): unknown {
    this.known.add(key);
    const value = Object.hasOwn(this.fields, key) ? this.fields[key] : undefined;
    return value === null ? undefined : value;
  }

  /** Declares keys as known without reading them (fields restager does not use). */
  ignore(...keys: string[]): void {
    for (const key of keys) this.known.add(key);
  }

  string(key: string): string | undefined {
    const value = this.raw(key);
    if (value === undefined || typeof value === "string") return value;
    this.typeError(key, "a string", value);
    return undefined;
  }

  /** A string that must be present and non-empty; "" after recording the problem. */
  requiredString(key: string): string {
    const value = this.string(key);
    if (value === undefined && this.raw(key) === undefined)
      this.log.error(this.pathOf(key), "missing");
    else if (value === "") this.log.error(this.pathOf(key), "must not be empty");
    return value ?? "";
  }

  number(key: string, bounds: NumberBounds = {}): number | undefined {
    const value = this.raw(key);
    if (value === undefined) return undefined;
    if (typeof value !== "number") {
      this.typeError(key, "a number", value);
      return undefined;
    }
    if (bounds.min !== undefined && value < bounds.min) {
      this.log.error(
        this.pathOf(key),
        bounds.min === 0
          ? `must not be negative (got ${value})`
          : `must be at least ${bounds.min} (got ${value})`,
      );
      return undefined;
    }
    if (bounds.max !== undefined && value > bounds.max) {
      this.log.error(this.pathOf(key), `must be at most ${bounds.max} (got ${value})`);
      return undefined;
    }
    return value;
  }

  boolean(key: string): boolean | undefined {
    const value = this.raw(key);
    if (value === undefined || typeof value === "boolean") return value;
    this.typeError(key, "a boolean", value);
    return undefined;
  }

  object(key: string): JsonReader | undefined {
    const value = this.raw(key);
    if (value === undefined) return undefined;
    return JsonReader.of(value, this.pathOf(key), this.log);
  }

  array(key: string): JsonElement[] | undefined {
    const value = this.raw(key);
    if (value === undefined) return undefined;
    if (!Array.isArray(value)) {
      this.typeError(key, "an array", value);
      return undefined;
    }
    const path = this.pathOf(key);
    return value.map((element: unknown, i) => ({ value: element, path: childPath(path, i) }));
  }

  /** An array of strings; absent or null reads as []. Non-string elements are errors. */
  strings(key: string): string[] {
    const out: string[] = [];
    for (const element of this.array(key) ?? []) {
      if (typeof element.value === "string") out.push(element.value);
      else
        this.log.error(element.path, `expected a string, got ${describeJsonType(element.value)}`);
    }
    return out;
  }

  /** Warns about every key that was neither read nor declared with `ignore`. */
  finish(): void {
    for (const key of Object.keys(this.fields)) {
      if (!this.known.has(key)) this.log.warn(this.pathOf(key), "unknown field; ignored");
    }
  }

  private typeError(key: string, expected: string, value: unknown): void {
    this.log.error(this.pathOf(key), `expected ${expected}, got ${describeJsonType(value)}`);
  }
}

export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
