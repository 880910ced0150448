import { isObject, type LagerLine } from "./lager-line.js";

/**
 * What a payload is. `task` and `lrp` are replayable as recorded; `staging-request` and
 * `desire-app-request` are Cloud Controller's messages to the stager / nsync, from which the
 * task or LRP would have to be re-derived (not supported yet).
 */
export type RequestKind = "task" | "lrp" | "staging-request" | "desire-app-request";

export interface PayloadKey {
  /** The `data` key holding the payload. */
  key: string;
  kind: RequestKind;
  /** The key only counts on lines whose message ends with this (for generic key names). */
  messageSuffix?: string;
}

/**
 * Every `data` key known to hold a request (docs/diego.md §1.5), in priority order. Keys are
 * accepted on any message (patched components chose their own messages); the value must be an
 * object.
 */
export const payloadKeys: readonly PayloadKey[] = [
  { key: "taskDefinition", kind: "task" }, // cf-furnace-patched stager, BBS model (§2.3)
  { key: "TaskCreateRequest", kind: "task" }, // receptor-era stager at debug level (§2.2)
  { key: "desiredLRP", kind: "lrp" }, // cf-furnace-patched nsync-listener, BBS model (§4.3)
  { key: "create-request", kind: "lrp" }, // nsync-bulker 2015, receptor DesiredLRPCreateRequest (§4.2)
  { key: "Request", kind: "staging-request", messageSuffix: ".staging-request" }, // stager 2014–2015
  { key: "staging-request", kind: "staging-request" }, // stager staging-handler error lines
  { key: "desired-app-message", kind: "desire-app-request" }, // nsync NATS-era error lines
  { key: "desire-app-request", kind: "desire-app-request" }, // nsync-bulker 2015 debug lines
];

/** What a command looks for: staging tasks (build-req), desired LRPs (launch-req), or either. */
export type RequestFamily = "task" | "lrp" | "any";

/** The kinds each family lists; the CC-message kinds are listed but not replayable. */
export const familyKinds: Record<RequestFamily, readonly RequestKind[]> = {
  task: ["task", "staging-request"],
  lrp: ["lrp", "desire-app-request"],
  any: ["task", "lrp", "staging-request", "desire-app-request"],
};

/** Messages that name a request even when the payload was not logged (upstream, unpatched). */
const requestMessages = [
  { suffix: ".staging-task-request", kind: "task" },
  { suffix: ".desired-app-request", kind: "lrp" },
] as const satisfies readonly { suffix: string; kind: RequestKind }[];
const requestMessageSuffixes = requestMessages.map((message) => message.suffix);

/**
 * Cheap substring tests run on every line before any JSON parsing; only lines containing one of
 * these can hold a request (or be a payload-less request line worth counting).
 */
export const candidateNeedles: readonly string[] = [
  ...payloadKeys.map((k) => `"${k.key}"`),
  ...requestMessageSuffixes.map((suffix) => `${suffix}"`),
];

/**
 * The needles of the lines that can hold a request of the family, or name one without its
 * payload: a subset of candidateNeedles. A line without any cannot be classified as one of the
 * family's kinds (classifyLine needs the kind's key), so a scan with these finds the same
 * matches; only its counts of other requests differ.
 */
export function familyNeedles(family: RequestFamily): readonly string[] {
  const kinds: readonly RequestKind[] = familyKinds[family];
  return [
    ...payloadKeys.filter((k) => kinds.includes(k.kind)).map((k) => `"${k.key}"`),
    ...requestMessages.filter((m) => kinds.includes(m.kind)).map((m) => `${m.suffix}"`),
  ];
}

export interface Classified {
  kind: RequestKind;
  key: string;
  payload: Record<string, unknown>;
}

/**
 * The request a lager entry carries; "payloadless" for a request message without data (the
 * upstream stager's debug line, §0.3); undefined for any other entry.
 */
export function classifyLine(line: LagerLine): Classified | "payloadless" | undefined {
  for (const { key, kind, messageSuffix } of payloadKeys) {
    if (messageSuffix !== undefined && !line.message.endsWith(messageSuffix)) continue;
    const payload = line.data[key];
    if (isObject(payload)) return { kind, key, payload };
  }
  return requestMessageSuffixes.some((suffix) => line.message.endsWith(suffix))
    ? "payloadless"
    : undefined;
}

/** True when the line may hold a request; false means it certainly does not. */
export function isCandidateLine(text: string): boolean {
  for (const needle of candidateNeedles) if (text.includes(needle)) return true;
  return false;
}
