import type { EnvVar } from "../core/env-var.js";

/** Proxy variables the rule applies to, compared case-insensitively. */
const proxyNames = new Set(["http_proxy", "https_proxy", "no_proxy"]);

export interface ProxyRuleResult {
  env: EnvVar[];
  /** Recorded empty proxy variables that were left out. */
  dropped: string[];
  /** Of those, the ones replaced by the value restager's own environment has. */
  fromHost: string[];
}

export function isProxyVariable(name: string): boolean {
  return proxyNames.has(name.toLowerCase());
}

/**
 * The proxy rule of `launch`. Captured run actions often carry `http_proxy=""` and friends (the
 * platform's proxy settings, empty where none is configured); replayed verbatim they would switch
 * off a proxy the host needs. So, unless `keepProxy`:
 *
 * - a recorded proxy variable with an EMPTY value is dropped, and when restager's own
 *   environment (`hostEnv`) sets that variable (same name, else the other letter case) to a
 *   non-empty value, that value is passed instead;
 * - a recorded proxy variable with a value is kept as recorded.
 *
 * With `keepProxy` every variable is kept exactly as recorded.
 */
export function applyProxyRule(
  env: readonly EnvVar[],
  options: { keepProxy: boolean; hostEnv: NodeJS.ProcessEnv },
): ProxyRuleResult {
  if (options.keepProxy) return { env: [...env], dropped: [], fromHost: [] };
  const result: ProxyRuleResult = { env: [], dropped: [], fromHost: [] };
  for (const variable of env) {
    if (!isProxyVariable(variable.name) || variable.value !== "") {
      result.env.push(variable);
      continue;
    }
    result.dropped.push(variable.name);
    const hostValue = hostProxyValue(variable.name, options.hostEnv);
    if (hostValue !== undefined) {
      result.env.push({ name: variable.name, value: hostValue });
      result.fromHost.push(variable.name);
    }
  }
  return result;
}

function hostProxyValue(name: string, hostEnv: NodeJS.ProcessEnv): string | undefined {
  for (const candidate of [name, name.toLowerCase(), name.toUpperCase()]) {
    const value = hostEnv[candidate];
    if (value !== undefined && value !== "") return value;
  }
  return undefined;
}
