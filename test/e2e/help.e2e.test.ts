/**
 * `--help` and `--version` of the built CLI, checked against the README: every option a
 * command's help lists is documented in that command's README section, and every flag the
 * section's table documents exists. Help text must wrap between words.
 */
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli, type Bin } from "../kit/e2e/cli.js";

const repoRoot = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const commands = [
  "build-req",
  "launch-req",
  "explain",
  "restage",
  "image",
  "launch",
  "ps",
  "stop",
  "cache",
];
const globalFlags = new Set(["--verbose", "--json", "--version", "--help"]);
let readme = "";
let version = "";

beforeAll(async () => {
  readme = await readFile(resolve(repoRoot, "README.md"), "utf8");
  const pkg = JSON.parse(await readFile(resolve(repoRoot, "package.json"), "utf8")) as {
    version: string;
  };
  version = pkg.version;
});

/** The README section (from its `### ` heading to the next heading) naming `restager <command>`. */
function readmeSection(command: string): string {
  const sections = readme.split(/^(?=#{2,3} )/m);
  const heading = new RegExp(`\`restager ${command}[\` [<]`);
  const found = sections.find((s) => heading.test(s.split("\n", 1)[0] ?? ""));
  if (found === undefined) throw new Error(`README.md has no section for restager ${command}`);
  return found;
}

/** Long flags a help text lists as options (`-e, --env`, `--no-x` shown as `--x`). */
function helpFlags(help: string): Set<string> {
  const flags = [...help.matchAll(/^ {2}(?:-\w, )? *(--[\w-]+)/gm)].map((m) => m[1] ?? "");
  return new Set(flags);
}

/** Flags in the first column of the section's tables, `--no-x` read as `--x`. */
function tableFlags(section: string): Set<string> {
  const firstCells = [...section.matchAll(/^\| (.+?) \|/gm)].map((m) => m[1] ?? "");
  const flags = firstCells.flatMap((cell) => [...cell.matchAll(/--[a-z][\w-]*/g)].map((m) => m[0]));
  return new Set(flags.map((flag) => flag.replace(/^--no-/, "--")));
}

/** Whether the section mentions `flag` (or its `--no-` form) as a whole word. */
function mentions(section: string, flag: string): boolean {
  const name = flag.slice(2);
  return new RegExp(`--(no-)?${name}(?![\\w-])`).test(section);
}

describe("restager --version", () => {
  it.each<Bin>(["restager", "restage", "build-req", "launch-req"])(
    "%s --version prints the package version",
    async (bin) => {
      const run = await runCli(bin, ["--version"]);
      expect(run.exitCode).toBe(0);
      expect(run.stdout.trim()).toBe(version);
    },
  );
});

describe("--help", () => {
  it("lists every command, with descriptions wrapped between words", async () => {
    const run = await runCli("restager", ["--help"]);
    expect(run.exitCode).toBe(0);
    for (const command of commands) expect(run.stdout).toContain(`restager ${command}`);
    const flowing = run.stdout.replace(/\s+/g, " ");
    expect(flowing).toContain("found in stager logs");
    expect(flowing).toContain("found in nsync-listener logs");
    expect(run.stdout.split("\n").every((line) => line.length <= 110)).toBe(true);
  });

  it.each(commands)("restager %s --help matches its README section", async (command) => {
    const run = await runCli("restager", [command, "--help"]);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^restager ${command}\\b`));
    const section = readmeSection(command);
    const listed = helpFlags(run.stdout);
    const undocumented = [...listed].filter((f) => !globalFlags.has(f) && !mentions(section, f));
    expect(undocumented, `flags of '${command} --help' missing from the README`).toEqual([]);
    const unknown = [...tableFlags(section)].filter((flag) => !listed.has(flag));
    expect(unknown, `README flags that '${command} --help' does not list`).toEqual([]);
  });

  it("the short commands show the same help as the restager subcommands", async () => {
    const pairs: [Bin, string][] = [
      ["restage", "restage"],
      ["build-req", "build-req"],
      ["launch-req", "launch-req"],
    ];
    for (const [bin, command] of pairs) {
      const short = await runCli(bin, ["--help"]);
      const long = await runCli("restager", [command, "--help"]);
      expect(short.exitCode).toBe(0);
      expect(short.stdout).toBe(long.stdout);
    }
  });
});
