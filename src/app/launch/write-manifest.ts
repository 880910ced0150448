import { writeFile } from "node:fs/promises";
import type { DesiredLrp } from "../../diego/desired-lrp.js";
import { CannotWriteError } from "../../errors.js";
import { planApp, type AppPlan } from "../../launch/app-plan.js";
import { launchSecrets } from "../../launch/launch-secrets.js";
import { composeFile } from "../../manifests/compose-file.js";
import { k8sManifest } from "../../manifests/k8s-manifest.js";
import { maskSecretsInText } from "../../core/redact.js";
import { launchImage } from "./launch-image.js";
import type { LaunchReport, ManifestMessage } from "./launch-report.js";
import type { LaunchPorts, LaunchRequest } from "./launch-request.js";
import type { LaunchSettings } from "./launch-settings.js";

export interface ManifestLaunch {
  lrp: DesiredLrp;
  request: LaunchRequest & { target: "k8s" | "compose" };
  settings: LaunchSettings;
}

/**
 * `launch` with target k8s or compose: writes the YAML to `out` (mode 0600 when it holds
 * credentials) or returns it to print. The file keeps every value, credentials included, since
 * the app needs them to run; a warning says so. On a terminal the credentials are masked
 * instead: they are never printed where someone can read them over a shoulder or in a
 * scrollback.
 */
export async function writeManifest(
  launch: ManifestLaunch,
  ports: LaunchPorts,
): Promise<LaunchReport> {
  const { lrp, request, settings } = launch;
  const { onProgress } = ports;
  const image = request.image ?? (await launchImage({ lrp, request }, ports)).ref;
  const plan = planApp(lrp, { ...settings, image });
  for (const notice of plan.notices) onProgress({ kind: "note", text: notice });
  for (const note of targetNotes(plan, request.target)) onProgress({ kind: "note", text: note });
  if (request.target === "k8s" && request.k8sKind === "deployment" && plan.instances > 1) {
    onProgress({
      kind: "warning",
      text: "a Deployment gives its replicas no index: every one gets INSTANCE_INDEX=0 (leave out --k8s-kind deployment for a StatefulSet, whose pods get their ordinal)",
    });
  }
  const yaml = request.target === "k8s" ? k8sManifest(plan, request.k8sKind) : composeFile(plan);
  const secrets = launchSecrets(lrp, [...settings.envFile, ...settings.env]);
  const hasSecrets = secrets.length > 0;
  const report = (after: ManifestMessage[], printed?: string) =>
    ({ kind: "manifest", exitCode: 0, yaml: printed, after }) as const;
  if (request.out !== undefined) {
    await writeYaml(request.out, yaml, hasSecrets);
    const what = request.target === "k8s" ? k8sWritten(plan, request.k8sKind) : "a compose file";
    const after: ManifestMessage[] = [{ level: "info", text: `Wrote ${what} to ${request.out}` }];
    if (hasSecrets) {
      const text = `${request.out} contains credentials (VCAP_SERVICES and the like); keep it private`;
      after.push({ level: "warning", text });
    }
    return report(after);
  }
  if (hasSecrets && request.maskCredentials) {
    const text =
      "credentials are masked on the terminal; use --out FILE or redirect stdout for a file that runs";
    return report([{ level: "warning", text }], maskSecretsInText(yaml, secrets));
  }
  const text = "the YAML contains credentials (VCAP_SERVICES and the like); keep it private";
  return report(hasSecrets ? [{ level: "warning", text }] : [], yaml);
}

function targetNotes(plan: AppPlan, target: "k8s" | "compose"): string[] {
  const notes: string[] = [];
  if (plan.image.startsWith("sha256:")) {
    notes.push(
      `the image ${plan.image.slice(0, 19)} has no tag; tag and push it where the ${target === "k8s" ? "cluster" : "engine"} can pull it, then pass --image`,
    );
  }
  return notes;
}

function k8sWritten(plan: AppPlan, kind: LaunchRequest["k8sKind"]): string {
  const workload = kind === "deployment" ? "a Deployment" : "a StatefulSet";
  if (plan.published.length === 0)
    return kind === "deployment" ? workload : `${workload} and a headless Service`;
  return kind === "deployment"
    ? `${workload} and a Service`
    : `${workload}, a Service and a headless Service`;
}

async function writeYaml(path: string, yaml: string, secret: boolean): Promise<void> {
  try {
    await writeFile(path, yaml, { mode: secret ? 0o600 : 0o644 });
  } catch (cause) {
    throw new CannotWriteError(`Cannot write ${path}`, {
      hint: "Check the directory exists and is writable",
      cause,
    });
  }
}
