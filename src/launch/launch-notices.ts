import type { RunAction } from "../diego/actions.js";
import type { DesiredLrp } from "../diego/desired-lrp.js";
import type { AppHealth } from "./app-health.js";
import type { ProxyRuleResult } from "./proxy-rule.js";
import { lrpProcesses } from "./lrp-processes.js";

interface NoticeInput {
  lrp: DesiredLrp;
  sshd: RunAction | undefined;
  sidecars: RunAction[];
  withSsh: boolean;
  proxy: ProxyRuleResult;
  health: AppHealth;
  instances: number;
}

function appUserOf(lrp: DesiredLrp): string | undefined {
  return lrpProcesses(lrp).main.user;
}

/** What differs from a Diego cell in this launch, in words for the user (stderr). */
export function launchNotices(input: NoticeInput): string[] {
  const notices: string[] = [];
  if (input.sshd && !input.withSsh) {
    notices.push("diego-sshd (cf ssh) is not started; add --with-ssh to run and publish it");
  }
  const appUser = input.sidecars.length > 0 ? appUserOf(input.lrp) : undefined;
  for (const sidecar of input.sidecars) {
    if (appUser === undefined || sidecar.user === appUser) continue;
    notices.push(
      `the codependent process ${sidecar.path} runs as ${appUser}, the app's user, not as ${sidecar.user}`,
    );
  }
  const fromHost = new Set(input.proxy.fromHost);
  for (const name of input.proxy.dropped) {
    notices.push(
      fromHost.has(name)
        ? `${name} was recorded empty; using restager's own value instead (--keep-proxy keeps it empty)`
        : `${name} was recorded empty and is left out so it cannot switch a proxy off (--keep-proxy keeps it)`,
    );
  }
  if (input.lrp.diskMb > 0) {
    notices.push(
      `disk_mb (${input.lrp.diskMb} MB) is not enforced: Docker has no per-container disk quota here`,
    );
  }
  if (input.health.readiness.length > 0) {
    notices.push(
      "readiness checks are not replayed: the liveness checks decide when an instance is up",
    );
  }
  if (input.instances <= 0) notices.push("the LRP asks for 0 instances; starting 1");
  return notices;
}
