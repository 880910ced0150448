import { Writable } from "node:stream";
import { afterEach, describe, expect, it, vi } from "vitest";
import { main } from "../../../src/cli/main.js";
import { fastTopHelp, helpWidth } from "../../../src/cli/top-help.js";

/** What yargs itself prints for `restager --help` at a terminal `columns` wide. */
async function yargsHelp(columns: number | undefined): Promise<string> {
  Object.defineProperty(process.stdout, "columns", { value: columns, configurable: true });
  const printed: string[] = [];
  const log = vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
    printed.push(`${args.map(String).join(" ")}\n`);
  });
  const sink = () => new Writable({ write: (_chunk, _encoding, done) => done() });
  const code = await main(["--help"], {
    stdin: process.stdin,
    stdout: sink(),
    stderr: sink(),
    env: {},
  });
  log.mockRestore();
  expect(code).toBe(0);
  return printed.join("");
}

describe("top-level --help without yargs", () => {
  const columns = Object.getOwnPropertyDescriptor(process.stdout, "columns");
  afterEach(() => {
    if (columns) Object.defineProperty(process.stdout, "columns", columns);
    else Reflect.deleteProperty(process.stdout, "columns");
  });

  it.each([undefined, 60, 64, 72, 80, 93, 100, 120, 200])(
    "is yargs' text exactly at %s columns",
    async (width) => {
      const expected = await yargsHelp(width);
      expect(expected).toContain("Commands:");
      expect(fastTopHelp(helpWidth(width))).toBe(expected);
    },
  );

  it("leaves narrow terminals to yargs", () => {
    expect(fastTopHelp(helpWidth(59))).toBeUndefined();
  });
});
