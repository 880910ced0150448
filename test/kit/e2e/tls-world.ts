/**
 * A staging world whose fake Cloud Foundry speaks TLS everywhere (CC-direct era task), with the
 * files a cell would hold: the platform's CA and the cell's client certificate and key.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { StagingWorld } from "../staging-world.js";
import { writeIdentity } from "../test-pki.js";
import type { E2eCase } from "./e2e-case.js";

export interface TlsFiles {
  ca: string;
  cert: string;
  key: string;
}

export async function tlsWorld(e2e: E2eCase): Promise<{ world: StagingWorld; files: TlsFiles }> {
  const world = await e2e.world({ style: "cc-2024", tls: true });
  const tls = world.cf.tls;
  if (tls === undefined) throw new Error("the fake Cloud Foundry has no PKI");
  const ca = join(e2e.dir, "tls_ca.crt");
  await writeFile(ca, tls.caPem);
  const identity = await writeIdentity(e2e.dir, "tls", tls.cell);
  return { world, files: { ca, ...identity } };
}

/** `--cacert`, `--cert` and `--key` for the files. */
export function flags(files: TlsFiles): string[] {
  return ["--cacert", files.ca, "--cert", files.cert, "--key", files.key];
}
