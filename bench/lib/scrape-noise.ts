/**
 * Lager noise for the scraper benchmark: what a cc_bridge VM's logs hold between two staging
 * requests (stager, nsync, tps, cc-uploader, file server, route emitter), lines of 100 B to a few
 * KB. Built once into a pool of templates whose timestamp is filled in as the file is written.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { lagerLine, type LagerEntry } from "../../test/kit/fake-cf/log-lines.js";

/** A pool line split around its timestamp: `head` + `<seconds>.<nanos>` + `tail` + "\n". */
export interface NoiseTemplate {
  tail: string;
}

export const timestampHead = '{"timestamp":"';
const zeroTime = "0.000000000";

type Maker = (pick: Pick) => LagerEntry;
type Pick = <T>(items: readonly T[]) => T;

const hex = (bytes: number): string => randomBytes(bytes).toString("hex");
const stagingGuid = (): string => `${randomUUID()}-${hex(16)}`;
const processGuid = (): string => `${randomUUID()}-${randomUUID()}`;
const ip = (pick: Pick): string => `10.244.${pick([0, 1, 2, 16])}.${pick([12, 34, 138, 201])}`;

/** Weighted makers (repeated entries are more frequent). */
const makers: readonly Maker[] = [
  () =>
    entry("stager", "stager.staging-handler.staging-request.desire-task.starting", {
      "staging-guid": stagingGuid(),
    }),
  () =>
    entry("stager", "stager.staging-handler.staging-request.desire-task.desired", {
      "staging-guid": stagingGuid(),
    }),
  (pick) =>
    entry(
      "stager",
      "stager.completion-handler.task-complete-callback-received.posting-staging-complete",
      {
        guid: stagingGuid(),
        payload: randomBytes(pick([120, 300, 600])).toString("base64"),
      },
    ),
  () => entry("nsync-bulker", "nsync-bulker.sync.starting", {}),
  (pick) =>
    entry("nsync-bulker", "nsync-bulker.sync.fetching-desired-lrps.done", {
      "desired-lrps": pick([12, 140, 2310]),
    }),
  () =>
    entry("nsync-bulker", "nsync-bulker.sync.process-app.up-to-date", {
      "process-guid": processGuid(),
    }),
  () =>
    entry("nsync-bulker", "nsync-bulker.sync.process-app.up-to-date", {
      "process-guid": processGuid(),
    }),
  (pick) =>
    entry("nsync-listener", "nsync-listener.desire-app.request-from-cc", {
      "process-guid": processGuid(),
      "desire-app-message": `{"instances":${pick([1, 2, 4])},"state":"STARTED"}`,
    }),
  (pick) =>
    entry("tps-watcher", "tps-watcher.watcher.app-crashed", {
      "process-guid": processGuid(),
      index: pick([0, 1, 3]),
      "crash-count": pick([1, 2, 7]),
      "crash-reason": pick([
        "APP/PROC/WEB: Exited with status 137 (out of memory)",
        "Instance never healthy after 1m0s: Failed to make TCP connection to port 8080: connection refused",
        `APP/PROC/WEB: Exited with status 1; stderr tail: ${"Error: Cannot find module 'express' ".repeat(3)}`,
      ]),
    }),
  (pick) =>
    entry("cc-uploader", "cc-uploader.upload-droplet.upload-request", {
      "content-length": pick([1048576, 73400320, 180000000]),
      url: `http://cloud-controller-ng.service.cf.internal:9022/staging/droplets/${randomUUID()}/upload?async=true&token=${hex(40)}`,
    }),
  () => entry("cc-uploader", "cc-uploader.upload-droplet.success", { "app-guid": randomUUID() }),
  (pick) =>
    entry("file-server", "file-server.request.serving", {
      method: "GET",
      path: pick([
        "/v1/static/buildpack_app_lifecycle/buildpack_app_lifecycle.tgz",
        "/v1/static/docker_app_lifecycle/docker_app_lifecycle.tgz",
        "/v1/static/windows_app_lifecycle/windows_app_lifecycle.tgz",
      ]),
      "remote-addr": `${ip(pick)}:${pick([40122, 51234, 60001])}`,
    }),
  () => entry("file-server", "file-server.request.done", { status: 200 }),
  (pick) =>
    entry("route-emitter", "route-emitter.watcher.handling-desired-create-event", {
      "process-guid": processGuid(),
      routes: Array.from({ length: pick([1, 2, 5]) }, (_, i) => ({
        hostnames: [`app-${hex(4)}-${i}.apps.example.internal`],
        port: 8080,
        route_service_url: null,
      })),
    }),
  (pick) =>
    entry("route-emitter", "route-emitter.syncer.emitting-messages", {
      messages: Array.from({ length: pick([1, 3, 6]) }, () => ({
        host: ip(pick),
        port: 61000 + Number.parseInt(hex(1), 16),
        uris: [`app-${hex(4)}.apps.example.internal`],
        app: randomUUID(),
        private_instance_id: randomUUID(),
      })),
    }),
  (pick) =>
    errorEntry("stager", "stager.staging-handler.staging-request.recipe-building-failed", {
      error: pick(["no compatible stager", "Failed to build recipe: unknown lifecycle"]),
      "staging-guid": stagingGuid(),
    }),
];

type Level = "info" | "debug" | "error";

function entry(
  source: string,
  message: string,
  data: Record<string, unknown>,
): LagerEntry & { level: Level } {
  return { source, message, data, level: "info" };
}

function errorEntry(...args: Parameters<typeof entry>): LagerEntry & { level: Level } {
  return { ...entry(...args), level: "error" };
}

/** `count` templates, drawn with a seeded-enough random pick (Math.random: noise only). */
export function noisePool(count: number): NoiseTemplate[] {
  const pick: Pick = (items) => items[Math.floor(Math.random() * items.length)]!;
  const pool: NoiseTemplate[] = [];
  for (let i = 0; i < count; i++) {
    const made = pick(makers)(pick) as LagerEntry & { level?: "info" | "debug" | "error" };
    const session = `${1 + (i % 97)}.${1 + (i % 13)}`;
    const line = lagerLine(made, { timeNs: 0n, session, level: made.level ?? "info" });
    const at = line.indexOf(zeroTime);
    if (!line.startsWith(timestampHead) || at !== timestampHead.length) {
      throw new Error(`unexpected lager line layout: ${line.slice(0, 60)}`);
    }
    pool.push({ tail: line.slice(at + zeroTime.length) });
  }
  return pool;
}
