/**
 * The keeper process's composition root: the engine, the local CA, TERM/INT to end it. Beside
 * keeping the identities, it makes the keys of the next launch's identities ahead (as many as
 * this launch has instances, at most 8), now that this launch has returned.
 */
import { TarArchives } from "../../archive/tar-archives.js";
import { DockerApps } from "../../container/docker-apps.js";
import { caIssuer } from "../../identity/instance-identity.js";
import { keepInstanceIdentities } from "../../launch/identity-keeper.js";
import { fillSpareIdentityKeys, openIdentityCa } from "../identity-ca.js";

const maxSpareKeys = 8;

export async function runIdentityKeeper(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<number> {
  const [runId, cacheDir, ous, since, instances] = argv;
  if (!runId || !cacheDir) return 2;
  const organizationalUnits = JSON.parse(ous ?? "[]") as string[];
  const stop = new AbortController();
  for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, () => stop.abort());
  const filling = new AbortController();
  const spareKeys = Math.min(maxSpareKeys, Math.max(1, Number(instances ?? 1) || 1));
  const filled = fillSpareIdentityKeys(
    cacheDir,
    spareKeys,
    AbortSignal.any([stop.signal, filling.signal]),
  ).catch(() => undefined);
  try {
    const deps = {
      runtime: new DockerApps({ env }),
      identities: caIssuer(await openIdentityCa(cacheDir)),
      archives: new TarArchives(),
    };
    const sinceS = since ? Number(since) : undefined;
    await keepInstanceIdentities({ runId, organizationalUnits, sinceS }, deps, stop.signal);
    return 0;
  } catch {
    return 1;
  } finally {
    filling.abort();
    await filled;
  }
}
