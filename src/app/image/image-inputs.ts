/** The files `restager image` builds from, checked before anything is built. */
import { access, readFile } from "node:fs/promises";
import { InvalidInputError, NoInputError } from "../../errors.js";

/** `path` when it can be read; else a NoInputError naming `flag`. */
export async function existingFile(path: string, flag: string): Promise<string> {
  try {
    await access(path);
    return path;
  } catch (cause) {
    throw new NoInputError(`Cannot read ${flag} ${path}`, { hint: "Check the path", cause });
  }
}

/** The staging result.json given with --result, parsed. */
export async function readResultFile(path: string): Promise<unknown> {
  const text = await readFile(path, "utf8").catch((cause: unknown) => {
    throw new NoInputError(`Cannot read --result ${path}`, { hint: "Check the path", cause });
  });
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new InvalidInputError(`--result ${path} is not JSON`, [], {
      hint: "Give the result.json the builder wrote (restage prints it on stdout)",
      cause,
    });
  }
}
