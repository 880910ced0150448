/** The keeper process's composition root: the engine, the local CA, TERM/INT to end it. */
import { TarArchives } from "../../archive/tar-archives.js";
import { DockerApps } from "../../container/docker-apps.js";
import { caIssuer } from "../../identity/instance-identity.js";
import { keepInstanceIdentities } from "../../launch/identity-keeper.js";
import { openIdentityCa } from "../identity-ca.js";

export async function runIdentityKeeper(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<number> {
  const [runId, cacheDir, ous, since] = argv;
  if (!runId || !cacheDir) return 2;
  const organizationalUnits = JSON.parse(ous ?? "[]") as string[];
  const stop = new AbortController();
  for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, () => stop.abort());
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
  }
}
