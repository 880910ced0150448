/**
 * The launch domain's public surface: what other domains (src/manifests: k8s and compose YAML)
 * build on. They import from here, never from the files behind it, so those stay free to move.
 */
export { healthShellCommand, type AppHealth, type Probe } from "./app-health.js";
export { AppLabelKey } from "./app-labels.js";
export type { AppPlan } from "./app-plan.js";
export { instanceEnv, repEnv } from "./instance-env.js";
export { appSlug } from "./instance-plan.js";
export { startEntrypoint } from "./start-script.js";
