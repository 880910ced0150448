/**
 * The cell's certificates for `launch` (local instances), wired by src/cli/wiring/launch.ts: the
 * trusted certificates (`--trusted-certs`, else the host's) and the local instance-identity CA in
 * the cache directory, and the identity keeper that renews the credentials after `launch`
 * returned (src/launch/identity-keeper.ts), started as a detached process of its own.
 */
import { spawn } from "node:child_process";
import { packageFile } from "../package-files.js";
import type { CellCertificates } from "../../app/launch/launch-request.js";
import { trustedCertificatesLater } from "../../app/restage/trusted-certificates.js";
import type { SmallFilesTarWriter } from "../../archive/ports.js";
import { identityIssuer } from "../identity-issuer.js";
import type { AppPlan } from "../../launch/app-plan.js";
import type { Output } from "../output.js";

export async function cellCertificates(
  output: Output,
  options: { cacheDir: string; trustedCerts?: string | undefined },
): Promise<CellCertificates> {
  const trustedCerts = await trustedCertificatesLater(options.trustedCerts, output.env);
  return {
    cell: { identity: true, trustedCerts },
    identities: identityIssuer(options.cacheDir, { spareKeys: true }),
    archives: tarWriterAtFirstUse(),
  };
}

/**
 * The tar writer, loaded when the cell's files cannot go straight into the volumes: a launch
 * on a local engine never loads the tar package (~30 ms before its first engine request).
 */
function tarWriterAtFirstUse(): SmallFilesTarWriter {
  let loading: Promise<SmallFilesTarWriter> | undefined;
  const load = async () => new (await import("../../archive/tar-archives.js")).TarArchives();
  return {
    smallFilesTar: async (files, mtime) => (await (loading ??= load())).smallFilesTar(files, mtime),
  };
}

/**
 * Starts the keeper of this launch's identities (a detached `node` process that outlives
 * restager and ends with the app's containers); nothing when no instance has an identity.
 */
export function spawnIdentityKeeper(
  output: Output,
  plan: AppPlan,
  keeper: { cacheDir: string; sinceMs: number },
): void {
  const identity = plan.cell?.identity;
  if (!identity) return;
  const { cacheDir, sinceMs } = keeper;
  const bin = packageFile("dist/bin/identity-keeper.js");
  // Restarts from `sinceMs` on, those before the keeper follows the events replayed; the
  // engine reads the fraction as milliseconds. Not earlier: the keeper would issue again for
  // the first start, and overwrite the credentials launch gave the instance moments before.
  const since = (sinceMs / 1000).toFixed(3);
  const ous = JSON.stringify(identity.organizationalUnits);
  const argv = [bin, plan.runId, cacheDir, ous, since, String(plan.instances)];
  const child = spawn(process.execPath, argv, {
    detached: true,
    stdio: "ignore",
    env: output.env,
  });
  child.on("error", (error) => output.debug("identity-keeper-failed", { error: String(error) }));
  child.unref();
}
