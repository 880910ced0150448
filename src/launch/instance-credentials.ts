/**
 * What a cell with instance identity and trusted certificates gives every LRP instance
 * (executor depot/containerstore/credmanager.go, instance_identity_handler.go, storenode.go),
 * for the containers `launch` runs itself:
 * - `/etc/cf-instance-credentials/instance.crt` and `instance.key` (src/identity/: CN and DNS
 *   SAN = the instance guid, the LRP's `certificate_properties` OUs, IP SAN = the container's
 *   address, 24 h), with CF_INSTANCE_CERT / CF_INSTANCE_KEY;
 * - the trusted certificates at the LRP's `trusted_system_certificates_path`, with
 *   CF_SYSTEM_CERT_PATH.
 * A cell bind-mounts host directories; here the files are written into the container's own
 * filesystem (root-owned, 0644, in 0755 directories: read-only to the app's user) once it has
 * its address, and the credentials again at every restart (identity-keeper.ts), since Docker
 * restarts the same container where a cell creates a new one. The start script holds the app
 * back until credentials newer than its own start are there (start-script.ts), as a cell starts
 * the processes only once the credentials exist.
 */
import type { Archives, SmallFile } from "../archive/ports.js";
import type { AppRuntime } from "../container/app-runtime.js";
import type { EnvVar } from "../core/env-var.js";
import {
  instanceIdentityDir,
  instanceIdentityEnv,
  type IdentityIssuer,
} from "../identity/instance-identity.js";
import type { CertificateFile } from "../restage/system-certificates.js";
import { systemCertificatesEnv } from "../restage/system-certificates.js";

/** The cell's certificates for an app's instances (AppPlan.cell). */
export interface CellCertificates {
  /** Instance identity: the LRP's `certificate_properties.organizational_unit`. */
  identity?: { organizationalUnits: string[] } | undefined;
  /** The trusted certificates and where the LRP wants them. */
  trusted?: { path: string; files: CertificateFile[] } | undefined;
}

/** The container-level variables the executor adds with the mounts. */
export function cellCertificatesEnv(cell: CellCertificates | undefined): EnvVar[] {
  return [
    ...(cell?.trusted ? systemCertificatesEnv(cell.trusted.path) : []),
    ...(cell?.identity ? instanceIdentityEnv() : []),
  ];
}

const root = { uid: 0, gid: 0 };

/**
 * A tar to extract at `/`: the trusted certificates (when `withTrusted`), then the identity's
 * key and certificate, the certificate last (the start script waits for it). Its times are the
 * next whole second, so the certificate is newer than the start marker written before it.
 */
export async function cellFilesTar(
  cell: CellCertificates,
  instance: { guid: string; ip: string; withTrusted: boolean },
  issuer: CellFileWriters,
): Promise<Buffer> {
  const { identities, archives } = issuer;
  const files: SmallFile[] = [];
  if (cell.trusted && instance.withTrusted) {
    const dir = relative(cell.trusted.path);
    files.push({ path: `${dir}/`, mode: 0o755, ...root });
    for (const file of cell.trusted.files) {
      files.push({ path: `${dir}/${file.name}`, content: file.content, mode: 0o644, ...root });
    }
  }
  if (cell.identity && identities) {
    const issued = await identities.issue({
      containerGuid: instance.guid,
      containerIp: instance.ip,
      organizationalUnits: cell.identity.organizationalUnits,
    });
    const dir = relative(instanceIdentityDir);
    files.push(
      { path: `${dir}/`, mode: 0o755, ...root },
      { path: `${dir}/instance.key`, content: Buffer.from(issued.keyPem), mode: 0o644, ...root },
      { path: `${dir}/instance.crt`, content: Buffer.from(issued.certPem), mode: 0o644, ...root },
    );
  }
  const nextSecond = new Date((Math.floor(Date.now() / 1000) + 1) * 1000);
  return archives.smallFilesTar(files, nextSecond);
}

function relative(path: string): string {
  return path.replace(/^\/+/, "").replace(/\/+$/, "");
}

/**
 * Writes the cell's files into a started instance: the credentials for its current address
 * and, at its first start, the trusted certificates (they stay in the container's filesystem
 * across restarts).
 */
/** What writes a cell's files: the identity issuer (none: no identity) and the tar writer. */
export interface CellFileWriters {
  identities?: IdentityIssuer | undefined;
  archives: Pick<Archives, "smallFilesTar">;
}

export async function writeCellFiles(
  target: { runtime: AppRuntime } & CellFileWriters,
  instance: { id: string; guid: string; cell: CellCertificates; withTrusted: boolean },
  signal?: AbortSignal,
): Promise<void> {
  const { ip } = await target.runtime.inspectApp(instance.id);
  const tar = await cellFilesTar(instance.cell, { ...instance, ip: ip ?? "" }, target);
  await target.runtime.putFiles(instance.id, { dir: "/", tar }, signal);
}
