/**
 * The tiny `sh` script every launched container starts with, before exec'ing the run action's
 * path and args: it fills in what only the running container knows. Without it Docker could not
 * give the app CF_INSTANCE_INTERNAL_IP (the container's address exists only once it started).
 */
import { liveMarker, startedMarker } from "./container-healthcheck.js";
import { sidecarLines, type SidecarProcess } from "./sidecar-processes.js";
import { instanceCertPath } from "../identity/instance-identity.js";
export interface StartScriptOptions {
  /**
   * Derive INSTANCE_INDEX and CF_INSTANCE_INDEX from `RESTAGER_TASK_SLOT` (Swarm's 1-based
   * `{{.Task.Slot}}`; templates cannot subtract), then unset it.
   */
  indexFromSlot?: boolean | undefined;
  /**
   * Set an empty CF_INSTANCE_IP to the container's default gateway (the node as its containers
   * see it) and an empty CF_INSTANCE_ADDR to `$CF_INSTANCE_IP:$CF_INSTANCE_PORT`, for targets
   * where restager cannot know the node's address beforehand (Swarm, compose).
   */
  gatewayIp?: boolean | undefined;
  /**
   * Give an empty INSTANCE_GUID / CF_INSTANCE_GUID a fresh UUID cut to 28 characters (as the rep does), for targets whose replicas all
   * share one environment (compose).
   */
  guidAtStart?: boolean | undefined;
  /**
   * Cut INSTANCE_GUID / CF_INSTANCE_GUID to 28 characters, as the rep cuts instance guids, for
   * targets that fill them with a 36-character id (k8s: the pod's uid).
   */
  cutGuids?: boolean | undefined;
  /** Lower the nofile limit with `ulimit -n` (targets without per-container ulimits: k8s). */
  nofile?: number | undefined;
  /** The codependent processes started next to the app (sidecar-processes.ts). */
  sidecars?: readonly SidecarProcess[] | undefined;
  /**
   * Hold the processes back until restager wrote instance credentials newer than this start
   * (instance-credentials.ts), for at most 10 s (then they start with what is there).
   */
  awaitIdentity?: boolean | undefined;
}

/** $0 of the script, so `ps` in the container says what it is. */
export const startScriptName = "restager-start";

/** `[/bin/sh, -c, script, restager-start]`: the entrypoint; the run action's argv follows it. */
export function startEntrypoint(options: StartScriptOptions = {}): string[] {
  return ["/bin/sh", "-c", startScript(options), startScriptName];
}

export function startScript(options: StartScriptOptions = {}): string {
  const lines = [
    'ip4() { set -- $(hostname -I 2>/dev/null); printf %s "${1:-}"; }',
    '[ -n "${CF_INSTANCE_INTERNAL_IP:-}" ] || CF_INSTANCE_INTERNAL_IP=$(ip4)',
    "export CF_INSTANCE_INTERNAL_IP",
    // Markers of the liveness check (container-healthcheck.ts), reset at every (re)start.
    `date +%s >${startedMarker} 2>/dev/null; rm -f ${liveMarker}`,
  ];
  if (options.indexFromSlot) lines.push(...slotLines);
  if (options.gatewayIp) lines.push(...gatewayLines);
  if (options.guidAtStart) lines.push(...guidLines);
  if (options.cutGuids) lines.push(...cutGuidLines);
  if (options.nofile !== undefined) lines.push(`ulimit -n ${options.nofile} 2>/dev/null || true`);
  if (options.awaitIdentity) lines.push(...identityLines);
  lines.push(...sidecarLines(options.sidecars ?? []));
  lines.push('exec "$@"');
  return lines.join("\n");
}

// The credentials' file time is the second after they were issued, the marker's the second
// the container started: newer means issued for this start. Looked for every 10 ms (each try
// is two short processes), so the app starts within ~10 ms of its credentials; 10 s at most.
const identityLines = [
  `s=$(cat ${startedMarker} 2>/dev/null || echo 0); n=0`,
  `while [ "$(stat -c %Y ${instanceCertPath} 2>/dev/null || echo 0)" -le "$s" ] && [ $n -lt 1000 ]; do sleep 0.01; n=$((n + 1)); done`,
];

const slotLines = [
  'if [ -n "${RESTAGER_TASK_SLOT:-}" ]; then',
  "  INSTANCE_INDEX=$((RESTAGER_TASK_SLOT - 1)); CF_INSTANCE_INDEX=$INSTANCE_INDEX",
  "  export INSTANCE_INDEX CF_INSTANCE_INDEX",
  "fi",
  "unset RESTAGER_TASK_SLOT",
];

const guidLines = [
  '[ -n "${INSTANCE_GUID:-}" ] || INSTANCE_GUID=$(cut -c1-28 /proc/sys/kernel/random/uuid)',
  '[ -n "${CF_INSTANCE_GUID:-}" ] || CF_INSTANCE_GUID=$INSTANCE_GUID',
  "export INSTANCE_GUID CF_INSTANCE_GUID",
];

const cutGuidLines = [
  'INSTANCE_GUID=$(printf %.28s "${INSTANCE_GUID:-}")',
  'CF_INSTANCE_GUID=$(printf %.28s "${CF_INSTANCE_GUID:-}")',
  "export INSTANCE_GUID CF_INSTANCE_GUID",
];

// /proc/net/route holds the default gateway as little-endian hex (010011AC = 172.17.0.1).
const gatewayLines = [
  'gw() { while read -r _i d g _r; do [ "$d" = 00000000 ] || continue',
  "  a=${g%??????}; t=${g#??}; b=${t%????}; t=${t#??}; c=${t%??}; d=${t#??}",
  '  printf %d.%d.%d.%d "$((0x$d))" "$((0x$c))" "$((0x$b))" "$((0x$a))"; return',
  "done </proc/net/route; }",
  '[ -n "${CF_INSTANCE_IP:-}" ] || CF_INSTANCE_IP=$(gw)',
  '[ -n "${CF_INSTANCE_ADDR:-}" ] || [ -z "${CF_INSTANCE_PORT:-}" ] || CF_INSTANCE_ADDR=$CF_INSTANCE_IP:$CF_INSTANCE_PORT',
  "export CF_INSTANCE_IP CF_INSTANCE_ADDR",
];
