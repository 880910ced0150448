/**
 * The staging requests scattered through the scraper benchmark's log: cf-furnace–patched
 * `staging-task-request` lines (test/kit/fake-cf builders) whose task carries a VCAP_SERVICES
 * of bound services large enough to bring the line to a target size (real ones: 10–40 KB).
 */
import { randomBytes, randomUUID } from "node:crypto";
import { stagingTaskLogLine } from "../../test/kit/fake-cf/log-lines.js";
import { buildStagingTask } from "../../test/kit/fake-cf/staging-task.js";
import { buildpackKey, md5Hex } from "../../test/kit/fixture-blobs.js";

export interface RequestLine {
  appName: string;
  appGuid: string;
  stagingGuid: string;
  /** The lager line, without its newline; its timestamp is `timeNs`. */
  text: string;
}

/** Made-up hosts of a cc_bridge deployment: the task is logged, never run. */
const endpoints = {
  fileServer: "http://file-server.service.cf.internal:8080",
  blobstore: "https://blobstore.service.cf.internal",
  ccUploader: "http://cc-uploader.service.cf.internal:9090",
  cloudController: "http://cloud-controller-ng.service.cf.internal:9022",
  stager: "http://stager.service.cf.internal:8888",
  credentials: { username: "internal_user", password: "internal-secret" },
};

const buildpackNames = ["staticfile", "java", "nodejs", "go", "python", "php", "binary", "ruby"];

/** One request line for `app`, at `timeNs`, about `targetBytes` long (never shorter than the bare task). */
export function requestLine(
  app: { name: string; guid: string },
  timeNs: bigint,
  targetBytes: number,
): RequestLine {
  const stagingGuid = `${app.guid}-${randomBytes(16).toString("hex")}`;
  const count = 1 + Math.floor(Math.random() * 4);
  const buildpacks = buildpackNames.slice(0, count).map((name) => {
    const key = buildpackKey(`${name}-${app.name}`);
    return {
      name: `${name}_buildpack`,
      key,
      url: `${endpoints.blobstore}/read/cc-buildpacks/${key}?md5=${md5Hex(key)}&expires=1900000000`,
      dirName: md5Hex(key),
    };
  });
  const task = buildStagingTask({
    endpoints,
    appGuid: app.guid,
    appName: app.name,
    stagingGuid,
    appPackageUrl: `${endpoints.blobstore}/read/cc-packages/${app.guid}?md5=${randomBytes(11).toString("hex")}&expires=1900000000`,
    buildpacks,
    buildArtifactsCacheUrl: `${endpoints.cloudController}/staging/buildpack_cache/${app.guid}/download`,
  });
  const line = (): string =>
    stagingTaskLogLine(
      task,
      { appId: app.guid, stagingGuid },
      { timeNs, session: `${1 + Math.floor(Math.random() * 900)}.1`, level: "info" },
    );
  const bare = line().length;
  setVcapServices(task, vcapServices(Math.max(0, targetBytes - bare)));
  return { appName: app.name, appGuid: app.guid, stagingGuid, text: line() };
}

/** Puts `value` into every VCAP_SERVICES variable of the task's run action. */
function setVcapServices(node: unknown, value: string): void {
  if (Array.isArray(node)) {
    for (const item of node) setVcapServices(item, value);
    return;
  }
  if (typeof node !== "object" || node === null) return;
  const record = node as Record<string, unknown>;
  if (record.name === "VCAP_SERVICES" && typeof record.value === "string") record.value = value;
  for (const child of Object.values(record)) setVcapServices(child, value);
}

/**
 * Bound services (brokered and user-provided, with credentials) adding up to about `bytes` once
 * escaped into the lager line (each `"` costs two bytes there).
 */
function vcapServices(bytes: number): string {
  const services: Record<string, unknown[]> = { "p-mysql": [], "p-redis": [], "user-provided": [] };
  const kinds = Object.keys(services);
  let escaped = 2;
  for (let i = 0; escaped < bytes; i++) {
    const kind = kinds[i % kinds.length]!;
    const service = {
      name: `${kind}-${i}`,
      instance_name: `${kind}-${i}`,
      binding_name: null,
      label: kind,
      tags: kind === "p-mysql" ? ["mysql", "relational"] : kind === "p-redis" ? ["redis"] : [],
      plan: kind === "user-provided" ? undefined : "standard",
      credentials: {
        hostname: `${randomBytes(6).toString("hex")}.service.internal`,
        port: 3306 + i,
        username: randomBytes(8).toString("hex"),
        password: randomBytes(12).toString("base64url"),
        uri: `${kind}://${randomBytes(8).toString("hex")}@db-${i}.service.internal/${randomUUID()}`,
        ...(i % 4 === 3 ? { ca_certificate: pem(1 + (i % 3)) } : {}),
      },
      volume_mounts: [],
    };
    services[kind]!.push(service);
    const text = JSON.stringify(service);
    escaped += text.length + (text.match(/["\\]/g)?.length ?? 0) + 1;
  }
  return JSON.stringify(services);
}

/** A certificate-shaped PEM block (random bytes; nothing parses it). */
function pem(blocks: number): string {
  const body = randomBytes(900 * blocks).toString("base64");
  const lines = body.match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join("\n")}\n-----END CERTIFICATE-----\n`;
}
