import { writeFile } from "node:fs/promises";
import { DockerApps } from "../../container/docker-apps.js";
import type { DesiredLrp } from "../../diego/desired-lrp.js";
import { CannotWriteError } from "../../errors.js";
import { planApp, type AppPlan } from "../../launch/app-plan.js";
import type { LaunchOptions } from "../../launch/launch-options.js";
import { launchSecrets } from "../../launch/launch-secrets.js";
import { composeFile } from "../../manifests/compose-file.js";
import { k8sManifest } from "../../manifests/k8s-manifest.js";
import { maskSecretsInText } from "../../core/redact.js";
import type { Output } from "../output.js";
import type { LaunchArgs } from "./launch-args.js";
import { launchImage } from "./launch-image.js";

/**
 * `launch --output k8s|compose`: writes the YAML to `--out` (mode 0600 when it holds
 * credentials) or stdout. The file keeps every value, credentials included, since the app needs
 * them to run; a warning says so. On a terminal the credentials are masked instead: they are
 * never printed where someone can read them over a shoulder or in a scrollback.
 */
export async function writeManifest(
  output: Output,
  lrp: DesiredLrp,
  settings: Omit<LaunchOptions, "image">,
  args: LaunchArgs,
): Promise<void> {
  const image =
    args.image ??
    (await launchImage(output, lrp, { runtime: new DockerApps({ env: output.env }), args })).ref;
  const plan = planApp(lrp, { ...settings, image });
  for (const notice of plan.notices) output.info(`Note: ${notice}`);
  for (const note of targetNotes(plan, args.output)) output.info(`Note: ${note}`);
  if (args.output === "k8s" && args.k8sKind === "deployment" && plan.instances > 1) {
    output.warn(
      "a Deployment gives its replicas no index: every one gets INSTANCE_INDEX=0 (leave out --k8s-kind deployment for a StatefulSet, whose pods get their ordinal)",
    );
  }
  const yaml = args.output === "k8s" ? k8sManifest(plan, args.k8sKind) : composeFile(plan);
  const secrets = launchSecrets(lrp, [...settings.envFile, ...settings.env]);
  const hasSecrets = secrets.length > 0;
  if (args.out !== undefined) {
    await writeYaml(args.out, yaml, hasSecrets);
    output.info(
      `Wrote ${args.output === "k8s" ? k8sWritten(plan, args.k8sKind) : "a compose file"} to ${args.out}`,
    );
    if (hasSecrets)
      output.warn(`${args.out} contains credentials (VCAP_SERVICES and the like); keep it private`);
    return;
  }
  if (hasSecrets && output.stdoutIsTty) {
    output.result(maskSecretsInText(yaml, secrets));
    output.warn(
      "credentials are masked on the terminal; use --out FILE or redirect stdout for a file that runs",
    );
    return;
  }
  output.result(yaml);
  if (hasSecrets)
    output.warn("the YAML contains credentials (VCAP_SERVICES and the like); keep it private");
}

function targetNotes(plan: AppPlan, target: LaunchArgs["output"]): string[] {
  const notes: string[] = [];
  if (plan.image.startsWith("sha256:")) {
    notes.push(
      `the image ${plan.image.slice(0, 19)} has no tag; tag and push it where the ${target === "k8s" ? "cluster" : "engine"} can pull it, then pass --image`,
    );
  }
  return notes;
}

function k8sWritten(plan: AppPlan, kind: LaunchArgs["k8sKind"]): string {
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
