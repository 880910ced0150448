import { InvalidInputError, type InputIssue } from "../../errors.js";

/**
 * Collects every problem found while reading a request, so that a user sees all of them at once.
 * Errors make the request unusable; warnings (unknown fields, deprecated encodings) do not.
 */
export class IssueLog {
  readonly errors: InputIssue[] = [];
  readonly warnings: InputIssue[] = [];
  private readonly notedMessages = new Set<string>();

  error(path: string, message: string): void {
    this.errors.push({ path, message });
  }

  warn(path: string, message: string): void {
    this.warnings.push({ path, message });
  }

  /** A warning given once per message, at the path where it first applies (e.g. defaulted users). */
  note(path: string, message: string): void {
    if (this.notedMessages.has(message)) return;
    this.notedMessages.add(message);
    this.warn(path, message);
  }

  /** Throws InvalidInputError listing every error, e.g. `Task definition is invalid (3 problems)`. */
  throwIfErrors(subject: string): void {
    const count = this.errors.length;
    if (count === 0) return;
    throw new InvalidInputError(
      `${subject} is invalid (${count} ${count === 1 ? "problem" : "problems"})`,
      this.errors,
      { hint: "Each problem is listed with its JSON path in the request; fix them and retry" },
    );
  }
}

/** `a.b` / `a[2]` path joining; the request root is `$` and is left out of child paths. */
export function childPath(parent: string, key: string | number): string {
  if (typeof key === "number") return `${parent}[${key}]`;
  return parent === "$" || parent === "" ? key : `${parent}.${key}`;
}

const articles: Record<string, string> = {
  object: "an object",
  string: "a string",
  number: "a number",
  boolean: "a boolean",
};

/** "a string", "an array", "null" — for `expected X, got Y` messages. */
export function describeJsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return articles[typeof value] ?? typeof value;
}
