/**
 * curl's TLS options (`--cacert`, `--cert`, `--key`, `--insecure`) and their environment
 * variables, for every command that talks HTTP. They are read once, here, into the TlsSettings
 * value the composition root hands to every HTTP client of the run.
 */
import { X509Certificate, createPrivateKey, type KeyObject } from "node:crypto";
import { readFile } from "node:fs/promises";
import { delimiter } from "node:path";
import type { Argv } from "yargs";
import { NoInputError, UsageError } from "../errors.js";
import type { ClientIdentity, TlsSettings } from "../http/tls-settings.js";
import type { Output } from "./output.js";

export interface TlsFlags {
  cacert?: string[] | undefined;
  cert?: string | undefined;
  key?: string | undefined;
  insecure?: boolean | undefined;
}

export const tlsEnv = {
  cacert: "RESTAGER_CACERT",
  cert: "RESTAGER_CERT",
  key: "RESTAGER_KEY",
} as const;

export function withTlsFlags<T>(yargs: Argv<T>): Argv<T & TlsFlags> {
  return yargs
    .option("cacert", {
      type: "string",
      array: true,
      requiresArg: true,
      nargs: 1,
      describe: `CA certificate (PEM) to trust besides the system CAs (repeatable; else $${tlsEnv.cacert}, files separated by '${delimiter}')`,
    })
    .option("cert", {
      type: "string",
      requiresArg: true,
      describe: `Client certificate (PEM) for servers that ask for one (else $${tlsEnv.cert})`,
    })
    .option("key", {
      type: "string",
      requiresArg: true,
      describe: `Private key (PEM) of --cert (else $${tlsEnv.key}; may sit in the --cert file)`,
    })
    .option("insecure", {
      alias: "k",
      type: "boolean",
      describe: "Do not verify server certificates (a warning is printed on every run)",
    });
}

/** Reads and checks the files the flags (else the environment) name; warns about --insecure. */
export async function readTlsSettings(args: TlsFlags, output: Output): Promise<TlsSettings> {
  const env = output.env;
  const caFiles = caFilesOf(args, env);
  const extraCaPems = await Promise.all(caFiles.files.map((file) => readCa(file, caFiles.via)));
  const client = await readClientIdentity(args, env);
  if (args.insecure === true) {
    output.warn(
      "--insecure: server certificates are NOT verified; anyone on the network path can impersonate the platform's servers and read or change what is downloaded and uploaded",
    );
  }
  return {
    extraCaPems,
    caSource: caFiles.files.length > 0 ? caFiles.source : undefined,
    client,
    insecure: args.insecure === true,
  };
}

function caFilesOf(
  args: TlsFlags,
  env: NodeJS.ProcessEnv,
): { files: string[]; via: string; source: string } {
  const flagged = args.cacert ?? [];
  if (flagged.length > 0) {
    return { files: flagged, via: "--cacert", source: `--cacert ${flagged.join(", ")}` };
  }
  const files = (env[tlsEnv.cacert] ?? "").split(delimiter).filter((file) => file !== "");
  return { files, via: `$${tlsEnv.cacert}`, source: `$${tlsEnv.cacert}` };
}

async function readCa(file: string, via: string): Promise<string> {
  const text = await readText(file, via);
  const blocks = pemBlocks(text, "CERTIFICATE");
  if (blocks.length === 0) {
    throw new UsageError(`${via} ${file} holds no PEM certificate`, {
      hint: "Give the CA certificate in PEM form (-----BEGIN CERTIFICATE-----)",
    });
  }
  for (const block of blocks) parseCertificate(block, `${via} ${file}`);
  return blocks.join("\n");
}

async function readClientIdentity(
  args: TlsFlags,
  env: NodeJS.ProcessEnv,
): Promise<ClientIdentity | undefined> {
  const cert = pick(args.cert, env, "cert");
  const key = pick(args.key, env, "key");
  if (cert === undefined && key === undefined) return undefined;
  if (cert === undefined) {
    throw new UsageError(`${key?.via} needs a certificate to go with it`, {
      hint: "Pass the client certificate with --cert FILE",
    });
  }
  const certText = await readText(cert.file, cert.via);
  const certBlocks = pemBlocks(certText, "CERTIFICATE");
  if (certBlocks.length === 0) {
    throw new UsageError(`${cert.via} ${cert.file} holds no PEM certificate`, {
      hint: "Give the client certificate in PEM form (-----BEGIN CERTIFICATE-----)",
    });
  }
  const keyText = key === undefined ? certText : await readText(key.file, key.via);
  const keyWhere = key === undefined ? `${cert.via} ${cert.file}` : `${key.via} ${key.file}`;
  const keyObject = parseKey(keyText, keyWhere, key === undefined);
  const leaf = parseCertificate(certBlocks[0] ?? "", `${cert.via} ${cert.file}`);
  if (!leaf.checkPrivateKey(keyObject)) {
    throw new UsageError(`${keyWhere} is not the key of ${cert.via} ${cert.file}`, {
      hint: "Pass the certificate and the private key issued with it",
    });
  }
  return {
    certPem: certBlocks.join("\n"),
    keyPem: keyObject.export({ type: "pkcs8", format: "pem" }).toString(),
    source: `${cert.via} ${cert.file}`,
  };
}

function pick(
  flag: string | undefined,
  env: NodeJS.ProcessEnv,
  name: "cert" | "key",
): { file: string; via: string } | undefined {
  if (flag !== undefined) return { file: flag, via: `--${name}` };
  const value = env[tlsEnv[name]];
  return value ? { file: value, via: `$${tlsEnv[name]}` } : undefined;
}

async function readText(file: string, via: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (cause) {
    throw new NoInputError(`Cannot read ${via} ${file}`, {
      hint: "Check the path (on a Diego cell the files are under /var/vcap/jobs/rep/config/certs/)",
      cause,
    });
  }
}

function pemBlocks(text: string, label: string): string[] {
  const pattern = new RegExp(`-----BEGIN ${label}-----[\\s\\S]+?-----END ${label}-----`, "g");
  return text.match(pattern) ?? [];
}

function parseCertificate(pem: string, where: string): X509Certificate {
  try {
    return new X509Certificate(pem);
  } catch (cause) {
    throw new UsageError(`${where} holds a certificate that cannot be read`, {
      hint: "Give the certificate in PEM form, as BOSH writes it",
      cause,
    });
  }
}

/** Never quotes the key: the messages say where it is, not what it is. */
function parseKey(text: string, where: string, sharedWithCert: boolean): KeyObject {
  const block = /-----BEGIN ([A-Z ]*)PRIVATE KEY-----[\s\S]+?-----END \1PRIVATE KEY-----/.exec(
    text,
  );
  if (block === null) {
    throw new UsageError(
      sharedWithCert
        ? `--cert needs --key: ${where} holds no private key`
        : `${where} holds no PEM private key`,
      { hint: "Pass the client certificate's private key with --key FILE" },
    );
  }
  try {
    return createPrivateKey(block[0]);
  } catch {
    throw new UsageError(`${where} holds a private key that cannot be read (encrypted?)`, {
      hint: "Give an unencrypted PEM private key, as BOSH writes it",
    });
  }
}
