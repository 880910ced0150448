import type { Argv } from "yargs";
import type { ImagePublishing } from "../app/image.js";
import { UsageError } from "../errors.js";

/** The image flags `restage` and `image` share. */
export interface ImageFlags {
  tag?: string[] | undefined;
  push?: boolean | undefined;
  registry?: string | undefined;
  registryUser?: string | undefined;
  registryPasswordStdin?: boolean | undefined;
  insecureRegistry?: boolean | undefined;
}

export function withImageFlags<T>(yargs: Argv<T>): Argv<T & ImageFlags> {
  return yargs
    .option("tag", {
      type: "string",
      array: true,
      requiresArg: true,
      describe:
        "Name the image [HOST[:PORT]/]NAME[:TAG] (repeatable; default restager/<app>:<droplet md5 prefix> and :latest)",
    })
    .option("push", {
      type: "boolean",
      describe: "Push the image (needs --registry or a tag naming one)",
    })
    .option("registry", {
      type: "string",
      requiresArg: true,
      describe: "Registry HOST[:PORT] put in front of every name when pushing",
    })
    .option("registry-user", { type: "string", requiresArg: true, describe: "Registry user name" })
    .option("registry-password-stdin", {
      type: "boolean",
      describe: "Read the registry password from stdin (else ~/.docker/config.json `auths`)",
    })
    .option("insecure-registry", {
      type: "boolean",
      describe:
        "The registry speaks plain HTTP: check that the engine allows it (its daemon.json insecure-registries; 127.0.0.0/8 always is)",
    })
    .check((args: ImageFlags) => {
      const pushOnly = {
        "--registry": args.registry !== undefined,
        "--registry-user": args.registryUser !== undefined,
        "--registry-password-stdin": args.registryPasswordStdin === true,
        "--insecure-registry": args.insecureRegistry === true,
      };
      const given = Object.entries(pushOnly).filter(([, set]) => set);
      if (given.length > 0 && args.push !== true) {
        const verb = given.length === 1 ? "applies" : "apply";
        throw new UsageError(`${given.map(([flag]) => flag).join(", ")} ${verb} only with --push`, {
          hint: "Add --push, or leave them out",
        });
      }
      return true;
    });
}

/** The flags as the use cases take them (the password comes from readPasswordFromStdin). */
export function imagePublishing(flags: ImageFlags): ImagePublishing {
  return {
    tags: flags.tag,
    push: flags.push,
    registry: flags.registry,
    registryUser: flags.registryUser,
    insecureRegistry: flags.insecureRegistry,
  };
}

/** Reads the password piped in for --registry-password-stdin (one trailing newline dropped). */
export async function readPasswordFromStdin(stdin: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin as AsyncIterable<Buffer | string>) {
    chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  }
  const password = Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
  if (password === "") {
    throw new UsageError("--registry-password-stdin read an empty password", {
      hint: 'printf %s "$PASSWORD" | restager ... --registry-password-stdin',
    });
  }
  return password;
}
