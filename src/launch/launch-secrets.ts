import type { DesiredLrp } from "../diego/desired-lrp.js";
import { collectSecrets } from "../diego/plan/collect-secrets.js";
import { isSecretEnvName } from "../core/redact.js";
import type { EnvVar } from "../core/env-var.js";

/**
 * Every secret a launch handles, for masking what restager prints: the LRP's (VCAP_SERVICES
 * and its credentials, sshd keys, URL passwords) and the values of `--env`/`--env-file`
 * variables named like credentials.
 */
export function launchSecrets(lrp: DesiredLrp, userEnv: readonly EnvVar[]): string[] {
  const fromUser = userEnv
    .filter((v) => isSecretEnvName(v.name) && v.value.trim() !== "" && v.value.trim() !== "{}")
    .map((v) => v.value);
  return [...collectSecrets(lrp), ...fromUser];
}
