/**
 * Checks, value by value, the environment a launched fixture app reports (hello-shell's
 * /env.txt) against the desired LRP it was launched from: what Diego would give the process
 * (docs/diego.md §4.7) after the launcher's changes (§6.8), and nothing else but what
 * Docker and bash add on their own (HOSTNAME; PWD, OLDPWD, SHLVL, _).
 */
import { expect } from "vitest";

interface EnvVar {
  name: string;
  value: string;
}

export interface InstanceFacts {
  index: number;
  /** The host port of the LRP's first port. */
  hostPort: number;
  /** CF_INSTANCE_IP: the Docker host as containers see it. */
  hostIp: string;
  /** The container's own address. */
  internalIp: string;
  /**
   * restager's own proxy variables (as passed to the CLI): a proxy variable recorded empty
   * takes its non-empty value here (same name, else the other letter case), else is left out.
   */
  hostProxy?: Record<string, string>;
  /** `--env-file` then `--env` variables, in order: set last. */
  userEnv?: EnvVar[];
  /**
   * Instances `launch` runs itself get what a cell with instance identity and trusted
   * certificates adds (the host has CA certificates, the LRP a path for them).
   */
  cell?: boolean;
}

interface LrpJson {
  env: EnvVar[];
  trusted_system_certificates_path?: string;
  ports: number[];
  action: { codependent: { actions: { run: { env: EnvVar[]; user: string } }[] } };
}

/** `NAME=value` lines (as `env | sort` prints them) to a map. */
export function parseEnvText(text: string): Map<string, string> {
  const env = new Map<string, string>();
  for (const line of text.split("\n")) {
    const equals = line.indexOf("=");
    if (equals > 0) env.set(line.slice(0, equals), line.slice(equals + 1));
  }
  return env;
}

const proxyNames = new Set(["http_proxy", "https_proxy", "no_proxy"]);
/** Set by Docker (HOSTNAME) and by bash running run.sh, not by Diego or the launcher. */
const addedByShell = ["HOSTNAME", "OLDPWD", "PWD", "SHLVL", "_"];

/**
 * `lrpJson`: the desired LRP as JSON (as the fake CF's builder makes it). The names must be
 * exactly the expected ones, and every value equal (VCAP_APPLICATION as the launcher rewrites it).
 */
export function expectInstanceEnv(
  env: Map<string, string>,
  lrpJson: object,
  facts: InstanceFacts,
): void {
  const lrp = lrpJson as LrpJson;
  const guid = env.get("INSTANCE_GUID") ?? "";
  expect(guid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{4}$/);
  const expected = diegoEnv(lrp, facts, guid);
  const names = [...expected.keys(), "VCAP_APPLICATION", ...addedByShell];
  expect([...env.keys()].sort(), "the variable names").toEqual([...new Set(names)].sort());
  for (const [name, value] of expected) expect(env.get(name), name).toBe(value);
  // Garden names the container (and its hostname) after the instance guid.
  expect(env.get("HOSTNAME")).toBe(guid);
  expect(env.get("PWD")).toBe("/home/vcap/app");
  const recorded = lrp.action.codependent.actions[0]?.run.env ?? [];
  expectVcapApplication(env, recorded, { guid, index: facts.index });
}

/**
 * Every variable but VCAP_APPLICATION, in Diego's order of precedence: the rep's, the LRP's,
 * the run action's (after the proxy rule), the executor's networking ones, Garden's defaults
 * where absent, the user's; then the launcher's HOME, TMPDIR and DEPS_DIR.
 */
function diegoEnv(lrp: LrpJson, facts: InstanceFacts, guid: string): Map<string, string> {
  const run = lrp.action.codependent.actions[0]?.run;
  const env = new Map<string, string>();
  const index = String(facts.index);
  env.set("INSTANCE_GUID", guid).set("INSTANCE_INDEX", index);
  env.set("CF_INSTANCE_GUID", guid).set("CF_INSTANCE_INDEX", index);
  for (const { name, value } of lrp.env) env.set(name, value);
  const certsPath = lrp.trusted_system_certificates_path;
  if (facts.cell && certsPath) env.set("CF_SYSTEM_CERT_PATH", certsPath);
  if (facts.cell) {
    env.set("CF_INSTANCE_CERT", "/etc/cf-instance-credentials/instance.crt");
    env.set("CF_INSTANCE_KEY", "/etc/cf-instance-credentials/instance.key");
  }
  for (const { name, value } of run?.env ?? []) {
    if (!proxyNames.has(name.toLowerCase()) || value !== "") env.set(name, value);
    else {
      const own = hostProxyValue(name, facts.hostProxy ?? {});
      if (own !== undefined) env.set(name, own);
    }
  }
  const [first = 0] = lrp.ports;
  const ports = lrp.ports.map((port) =>
    port === first ? { external: facts.hostPort, internal: port } : { internal: port },
  );
  env.set("CF_INSTANCE_IP", facts.hostIp).set("CF_INSTANCE_INTERNAL_IP", facts.internalIp);
  env.set("CF_INSTANCE_PORT", String(facts.hostPort));
  env.set("CF_INSTANCE_ADDR", `${facts.hostIp}:${facts.hostPort}`);
  env.set("CF_INSTANCE_PORTS", JSON.stringify(ports));
  if (!env.has("PATH")) env.set("PATH", "/usr/local/bin:/usr/bin:/bin");
  if (!env.has("USER")) env.set("USER", run?.user ?? "vcap");
  for (const { name, value } of facts.userEnv ?? []) env.set(name, value);
  env.set("HOME", "/home/vcap/app").set("TMPDIR", "/home/vcap/tmp");
  env.set("DEPS_DIR", "/home/vcap/deps");
  env.delete("VCAP_APPLICATION");
  return env;
}

/**
 * The recorded part only, for targets whose networking variables differ (Swarm): every
 * variable of the LRP and of the run action (proxy variables recorded empty aside) has its
 * recorded value, and VCAP_APPLICATION is the launcher's rewrite for this instance.
 */
export function expectRecordedEnv(env: Map<string, string>, lrpJson: object, index: number): void {
  const lrp = lrpJson as LrpJson;
  const recorded = lrp.action.codependent.actions[0]?.run.env ?? [];
  for (const { name, value } of [...lrp.env, ...recorded]) {
    if (name === "VCAP_APPLICATION" || (proxyNames.has(name.toLowerCase()) && value === "")) {
      continue;
    }
    expect(env.get(name), name).toBe(value);
  }
  expectVcapApplication(env, recorded, { guid: env.get("INSTANCE_GUID") ?? "", index });
}

function hostProxyValue(name: string, own: Record<string, string>): string | undefined {
  for (const candidate of [name, name.toLowerCase(), name.toUpperCase()]) {
    const value = own[candidate];
    if (value !== undefined && value !== "") return value;
  }
  return undefined;
}

/** The launcher's rewrite: host, instance_id, instance_index, port added; keys sorted. */
function expectVcapApplication(
  env: Map<string, string>,
  recorded: EnvVar[],
  instance: { guid: string; index: number },
): void {
  const original = JSON.parse(
    recorded.find((v) => v.name === "VCAP_APPLICATION")?.value ?? "{}",
  ) as Record<string, unknown>;
  const text = env.get("VCAP_APPLICATION") ?? "{}";
  const rewritten = JSON.parse(text) as Record<string, unknown>;
  expect(rewritten).toEqual({
    ...original,
    host: "0.0.0.0",
    instance_id: instance.guid,
    instance_index: instance.index,
    port: Number(env.get("PORT")),
  });
  expect(Object.keys(rewritten)).toEqual(Object.keys(rewritten).sort());
}
