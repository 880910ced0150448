import type { LaunchedApp } from "../../launch/launched-apps.js";
import { appJson, printLaunchedApps } from "../launch/print-launched-apps.js";
import type { Output } from "../output.js";
import type { Leftover } from "../../app/restage/leftovers.js";

export interface PsAll {
  apps: LaunchedApp[];
  leftovers: Leftover[];
  host: string;
}

/** `restager ps --all`: the launched apps, then one line per thing restages own, with why. */
export function printLeftovers(output: Output, all: PsAll): void {
  if (output.json) {
    const apps = all.apps.map((app) => appJson(app, all.host));
    const leftovers = all.leftovers.map((l) => ({
      kind: l.kind,
      name: l.name,
      app: l.app ?? null,
      why: l.why,
      removed_by_next_restage: l.stale,
    }));
    output.result(JSON.stringify({ apps, leftovers }, null, 2));
    return;
  }
  printLaunchedApps(output, all.apps, all.host);
  if (all.leftovers.length === 0) {
    output.info(
      "Nothing left by restages (no staging containers, volumes being filled or temp dirs)",
    );
    return;
  }
  output.result("restages:");
  for (const leftover of all.leftovers) {
    const app = leftover.app ? ` of ${leftover.app}` : "";
    const next = leftover.stale ? " (the next restage removes it)" : "";
    output.result(`  ${leftover.kind} ${leftover.name}${app}: ${leftover.why}${next}`);
  }
}
