import { isObject } from "./lager-line.js";
import { queryString, queryStrings } from "./queries.js";

/** What identifies a request: for `--app` matching and `--list`. Every field is optional. */
export interface RequestMeta {
  /** App guid: session `app-id`, CC `app_id`, VCAP_APPLICATION `application_id`, or `log_guid`. */
  appId?: string | undefined;
  /** VCAP_APPLICATION `application_name` (or `name`). */
  appName?: string | undefined;
  /** Staging task guid: session `staging-guid`, `task_guid`, or the completion callback URL. */
  stagingGuid?: string | undefined;
  /** `<app-guid>-<version-guid>` of a desired LRP. */
  processGuid?: string | undefined;
  logGuid?: string | undefined;
  rootfs?: string | undefined;
  /** The stack: `cflinuxfs2` for `preloaded:cflinuxfs2`, otherwise the rootfs as recorded. */
  stack?: string | undefined;
}

const callbackGuidPattern = /\/v1\/staging\/([^/?#]+)\/completed/;
const guidLength = 36;

/** Reads a request's identifiers from the payload and the lager data around it. */
export function describeRequest(payload: object, data: object = {}): RequestMeta {
  const vcap = readVcapApplication(payload);
  const logGuid = queryString(payload, "logGuid");
  const processGuid =
    queryString(payload, "processGuid") ?? queryString(data, "sessionProcessGuid");
  const rootfs = readRootfs(payload);
  return {
    appId:
      queryString(data, "sessionAppId") ??
      queryString(payload, "appId") ??
      vcap.applicationId ??
      logGuid ??
      appGuidOfProcess(processGuid),
    appName: vcap.name,
    stagingGuid:
      queryString(data, "sessionStagingGuid") ??
      queryString(payload, "taskGuid") ??
      callbackGuidPattern.exec(queryString(payload, "completionCallbackUrl") ?? "")?.[1],
    processGuid,
    logGuid,
    rootfs,
    stack: rootfs?.startsWith("preloaded:") ? rootfs.slice("preloaded:".length) : rootfs,
  };
}

/** True when `needle` names the request by any guid, the app guid prefix of its process guid, or the app name. */
export function matchesApp(meta: RequestMeta, needle: string): boolean {
  return [
    meta.appId,
    meta.appName,
    meta.stagingGuid,
    meta.processGuid,
    appGuidOfProcess(meta.processGuid),
    meta.logGuid,
  ].includes(needle);
}

/** A process guid is `<app-guid>-<version-guid>` (diego-reference.md §4.3). */
function appGuidOfProcess(processGuid: string | undefined): string | undefined {
  if (processGuid === undefined || processGuid.length <= guidLength) return undefined;
  return processGuid.charAt(guidLength) === "-" ? processGuid.slice(0, guidLength) : undefined;
}

function readRootfs(payload: object): string | undefined {
  const rootfs = queryString(payload, "rootfs") ?? queryString(payload, "legacyRootfs");
  if (rootfs !== undefined) return rootfs;
  const stack = queryString(payload, "legacyStack") ?? queryString(payload, "lifecycleStack");
  return stack === undefined ? undefined : `preloaded:${stack}`;
}

/** The first VCAP_APPLICATION value that parses; CC puts the same one in every env list. */
function readVcapApplication(payload: object): { name?: string; applicationId?: string } {
  const values = [
    ...queryStrings(payload, "vcapApplicationInEnv"),
    ...queryStrings(payload, "vcapApplicationInEnvironment"),
  ];
  for (const value of values) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      continue;
    }
    if (!isObject(parsed)) continue;
    return {
      name: stringField(parsed, "application_name") ?? stringField(parsed, "name"),
      applicationId: stringField(parsed, "application_id"),
    };
  }
  return {};
}

function stringField(object: Record<string, unknown>, key: string): string | undefined {
  const value = object[key];
  return typeof value === "string" && value !== "" ? value : undefined;
}
