/**
 * What a cell with instance identity and trusted certificates gives every LRP instance
 * (executor depot/containerstore/credmanager.go, instance_identity_handler.go, storenode.go),
 * for the containers `launch` runs itself:
 * - `/etc/cf-instance-credentials/instance.crt` and `instance.key` (src/identity/: CN and DNS
 *   SAN = the instance guid, the LRP's `certificate_properties` OUs, IP SAN = the container's
 *   address, 24 h), with CF_INSTANCE_CERT / CF_INSTANCE_KEY;
 * - the trusted certificates at the LRP's `trusted_system_certificates_path`, with
 *   CF_SYSTEM_CERT_PATH.
 * A cell bind-mounts host directories; here each directory is a volume of the container
 * (cellVolumes), and the files (root-owned, 0644, in 0755 directories: read-only to the app's
 * user) are written once the container has its address: straight into the volume when the
 * engine keeps it on this host and restager may write there (volume-files.ts), else through the
 * engine's archive API. The credentials are written again at every restart
 * (identity-keeper.ts), since Docker restarts the same container where a cell creates a new
 * one. The start script holds the app back until credentials newer than its own start are there
 * (start-script.ts), as a cell starts the processes only once the credentials exist.
 */
import type { SmallFile, SmallFilesTarWriter } from "../archive/ports.js";
import type { AppRuntime } from "../container/app-runtime.js";
import type { EnvVar } from "../core/env-var.js";
import {
  instanceIdentityDir,
  instanceIdentityEnv,
  type IdentityIssuer,
} from "../identity/instance-identity.js";
import type { PendingCertificates } from "../restage/system-certificates.js";
import { systemCertificatesEnv } from "../restage/system-certificates.js";
import { writeVolumeFiles, type VolumeFile } from "./volume-files.js";

/** The cell's certificates for an app's instances (AppPlan.cell). */
export interface CellCertificates {
  /** Instance identity: the LRP's `certificate_properties.organizational_unit`. */
  identity?: { organizationalUnits: string[] } | undefined;
  /** The trusted certificates and where the LRP wants them. */
  trusted?: { path: string; certificates: PendingCertificates } | undefined;
}

/** The container-level variables the executor adds with the mounts. */
export function cellCertificatesEnv(cell: CellCertificates | undefined): EnvVar[] {
  return [
    ...(cell?.trusted ? systemCertificatesEnv(cell.trusted.path) : []),
    ...(cell?.identity ? instanceIdentityEnv() : []),
  ];
}

const root = { uid: 0, gid: 0 };

/** The container directories a cell bind-mounts for these certificates. */
export function cellVolumes(cell: CellCertificates | undefined): string[] {
  return [
    ...(cell?.trusted ? [cell.trusted.path] : []),
    ...(cell?.identity ? [instanceIdentityDir] : []),
  ];
}

/** The files of one cell directory, in writing order. */
interface CellDirectory {
  dir: string;
  files: VolumeFile[];
}

/**
 * The trusted certificates (when `withTrusted`), then the identity's key and certificate, the
 * certificate last: the start script waits for it.
 */
async function cellDirectories(
  cell: CellCertificates,
  instance: { guid: string; ip: string; withTrusted: boolean },
  identities: IdentityIssuer | undefined,
): Promise<CellDirectory[]> {
  const dirs: CellDirectory[] = [];
  if (cell.trusted && instance.withTrusted) {
    dirs.push({ dir: cell.trusted.path, files: await cell.trusted.certificates.files });
  }
  if (cell.identity && identities) {
    const issued = await identities.issue({
      containerGuid: instance.guid,
      containerIp: instance.ip,
      organizationalUnits: cell.identity.organizationalUnits,
    });
    dirs.push({
      dir: instanceIdentityDir,
      files: [
        { name: "instance.key", content: Buffer.from(issued.keyPem) },
        { name: "instance.crt", content: Buffer.from(issued.certPem) },
      ],
    });
  }
  return dirs;
}

/**
 * A tar of the directories to extract at `/`. Its times are the next whole second, so the
 * certificate is newer than the start marker written before it.
 */
async function directoriesTar(
  dirs: readonly CellDirectory[],
  archives: SmallFilesTarWriter,
  mtime: Date,
): Promise<Buffer> {
  const files: SmallFile[] = [];
  for (const { dir, files: inDir } of dirs) {
    const at = relative(dir);
    files.push({ path: `${at}/`, mode: 0o755, ...root });
    for (const file of inDir) {
      files.push({ path: `${at}/${file.name}`, content: file.content, mode: 0o644, ...root });
    }
  }
  return archives.smallFilesTar(files, mtime);
}

/** The archive writeCellFiles sends when it cannot write into the volumes from here. */
export async function cellFilesTar(
  cell: CellCertificates,
  instance: { guid: string; ip: string; withTrusted: boolean },
  issuer: CellFileWriters,
): Promise<Buffer> {
  const dirs = await cellDirectories(cell, instance, issuer.identities);
  return directoriesTar(dirs, issuer.archives, nextSecond());
}

function nextSecond(): Date {
  return new Date((Math.floor(Date.now() / 1000) + 1) * 1000);
}

function relative(path: string): string {
  return path.replace(/^\/+/, "").replace(/\/+$/, "");
}

/**
 * Writes the trusted certificates into a created instance's volume while the engine starts it
 * (AppRuntime.runApp's `whileStarting`): they take ~150 files, and the app waits for its
 * credentials anyway, so only the credentials are left for after the start. True when they are
 * in; false (nothing to show for it: writeCellFiles then writes them) when the volume is not on
 * this host or cannot be written, or the certificates could not be read.
 */
export async function writeTrustedWhileStarting(
  cell: CellCertificates,
  created: { volumeSources?: Readonly<Record<string, string>> | undefined },
): Promise<boolean> {
  const trusted = cell.trusted;
  const files = await trusted?.certificates.files.catch(() => undefined);
  if (!trusted || !files) return false;
  return writeIntoVolumes([{ dir: trusted.path, files }], created.volumeSources, new Date());
}

/** What writes a cell's files: the identity issuer (none: no identity) and the tar writer. */
export interface CellFileWriters {
  identities?: IdentityIssuer | undefined;
  archives: SmallFilesTarWriter;
}

/**
 * Writes the cell's files into a started instance: the credentials for its current address
 * and, at its first start, the trusted certificates (they stay in the container's volume
 * across restarts).
 */
export async function writeCellFiles(
  target: { runtime: AppRuntime } & CellFileWriters,
  instance: { id: string; guid: string; cell: CellCertificates; withTrusted: boolean },
  signal?: AbortSignal,
): Promise<void> {
  const { ip, volumeSources } = await target.runtime.inspectApp(instance.id);
  const dirs = await cellDirectories(
    instance.cell,
    { ...instance, ip: ip ?? "" },
    target.identities,
  );
  const mtime = nextSecond();
  if (writeIntoVolumes(dirs, volumeSources, mtime)) return;
  const tar = await directoriesTar(dirs, target.archives, mtime);
  await target.runtime.putFiles(instance.id, { dir: "/", tar }, signal);
}

/**
 * True when every directory is a volume on this host and its files are written (or there is
 * nothing to write: no engine request is needed then either).
 */
function writeIntoVolumes(
  dirs: readonly CellDirectory[],
  sources: Readonly<Record<string, string>> | undefined,
  mtime: Date,
): boolean {
  const placed: { source: string; files: VolumeFile[] }[] = [];
  for (const { dir, files } of dirs) {
    const source = sources?.[dir];
    if (source === undefined) return false;
    placed.push({ source, files });
  }
  return placed.every(({ source, files }) => writeVolumeFiles(source, files, mtime));
}
