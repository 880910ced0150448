/**
 * The composition root of the cell's certificates for `launch` (local instances): the trusted
 * certificates (`--trusted-certs`, else the host's) and the local instance-identity CA in the
 * cache directory, and the identity keeper that renews the credentials after `launch` returned
 * (src/launch/identity-keeper.ts), started as a detached process of its own.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { defaultCacheDir } from "../../http/default-cache-dir.js";
import type { AppPlan } from "../../launch/app-plan.js";
import type { LaunchOptions } from "../../launch/launch-options.js";
import type { CertificateAuthority } from "../../pki/ports.js";
import type { Output } from "../output.js";
import { identityAuthority, trustedCertificates } from "../restage/cell-credentials.js";
import type { LaunchArgs } from "./launch-args.js";

export interface CellSetup {
  cell: NonNullable<LaunchOptions["cell"]>;
  ca: CertificateAuthority;
  cacheDir: string;
}

export async function cellSetup(output: Output, args: LaunchArgs): Promise<CellSetup> {
  const cacheDir = args.cacheDir ?? defaultCacheDir(output.env);
  const trustedCerts = await trustedCertificates(args.trustedCerts, output.env);
  return {
    cell: { identity: true, trustedCerts },
    ca: await identityAuthority(cacheDir),
    cacheDir,
  };
}

/**
 * Starts the keeper of this launch's identities (a detached `node` process that outlives
 * restager and ends with the app's containers); nothing when no instance has an identity.
 */
export function spawnIdentityKeeper(output: Output, plan: AppPlan, setup: CellSetup): void {
  const identity = plan.cell?.identity;
  if (!identity) return;
  const bin = fileURLToPath(new URL("../../bin/identity-keeper.js", import.meta.url));
  // Restarts from a second before now on (one before the keeper follows events is replayed).
  const since = String(Math.floor(Date.now() / 1000) - 1);
  const ous = JSON.stringify(identity.organizationalUnits);
  const argv = [bin, plan.runId, setup.cacheDir, ous, since];
  const child = spawn(process.execPath, argv, {
    detached: true,
    stdio: "ignore",
    env: output.env,
  });
  child.on("error", (error) => output.debug("identity-keeper-failed", { error: String(error) }));
  child.unref();
}
