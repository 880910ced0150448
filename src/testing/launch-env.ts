/**
 * Checks, value by value, the environment a launched fixture app reports (hello-shell's
 * /env.txt) against the desired LRP it was launched from: what Diego would give the process
 * (diego-reference.md §4.7) after the launcher's changes (§6.8).
 */
import { expect } from "vitest";

export interface InstanceFacts {
  index: number;
  /** The host port of the LRP's first port. */
  hostPort: number;
  /** CF_INSTANCE_IP: the Docker host as containers see it. */
  hostIp: string;
  /** The container's own address. */
  internalIp: string;
}

interface LrpJson {
  env: { name: string; value: string }[];
  ports: number[];
  action: { codependent: { actions: { run: { env: { name: string; value: string }[] } }[] } };
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

/** `lrpJson`: the desired LRP as JSON (as the fake CF's builder makes it). */
export function expectInstanceEnv(
  env: Map<string, string>,
  lrpJson: object,
  facts: InstanceFacts,
): void {
  const lrp = lrpJson as LrpJson;
  const recorded = lrp.action.codependent.actions[0]?.run.env ?? [];
  for (const { name, value } of [...lrp.env, ...recorded]) {
    if (name === "VCAP_APPLICATION") continue;
    if (proxyNames.has(name.toLowerCase()) && value === "") {
      expect(env.has(name), `${name} recorded empty is left out`).toBe(false);
      continue;
    }
    expect(env.get(name), name).toBe(value);
  }
  const guid = env.get("INSTANCE_GUID") ?? "";
  expect(guid).toMatch(/^[0-9a-f-]{36}$/);
  const [first = 0] = lrp.ports;
  const ports = lrp.ports.map((port) =>
    port === first ? { external: facts.hostPort, internal: port } : { internal: port },
  );
  const injected: Record<string, string> = {
    INSTANCE_INDEX: String(facts.index),
    CF_INSTANCE_INDEX: String(facts.index),
    CF_INSTANCE_GUID: guid,
    CF_INSTANCE_IP: facts.hostIp,
    CF_INSTANCE_INTERNAL_IP: facts.internalIp,
    CF_INSTANCE_PORT: String(facts.hostPort),
    CF_INSTANCE_ADDR: `${facts.hostIp}:${facts.hostPort}`,
    CF_INSTANCE_PORTS: JSON.stringify(ports),
    HOME: "/home/vcap/app",
    TMPDIR: "/home/vcap/tmp",
    DEPS_DIR: "/home/vcap/deps",
    USER: "vcap",
    PATH: "/usr/local/bin:/usr/bin:/bin",
  };
  for (const [name, value] of Object.entries(injected)) expect(env.get(name), name).toBe(value);
  expectVcapApplication(env, recorded, { guid, index: facts.index });
}

/** The launcher's rewrite: host, instance_id, instance_index, port added; keys sorted. */
function expectVcapApplication(
  env: Map<string, string>,
  recorded: { name: string; value: string }[],
  instance: { guid: string; index: number },
): void {
  const original = JSON.parse(
    recorded.find((v) => v.name === "VCAP_APPLICATION")?.value ?? "{}",
  ) as Record<string, unknown>;
  const text = env.get("VCAP_APPLICATION") ?? "{}";
  const rewritten = JSON.parse(text) as Record<string, unknown>;
  for (const [key, value] of Object.entries(original))
    expect(rewritten[key], `VCAP_APPLICATION.${key}`).toEqual(value);
  expect(rewritten).toMatchObject({
    host: "0.0.0.0",
    instance_id: instance.guid,
    instance_index: instance.index,
    port: Number(env.get("PORT")),
  });
  expect(Object.keys(rewritten)).toEqual(Object.keys(rewritten).sort());
}
