import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { planApp } from "../../../src/launch/app-plan.js";
import { k8sManifest } from "../../../src/manifests/k8s-manifest.js";
import { lrpFixture } from "../../kit/fixture-files.js";
import { launchOptions } from "../../kit/launch-options.js";

const options = launchOptions({
  image: "registry.example.com/node-env:1",
  env: [{ name: "SHELLY", value: "echo $(date)" }],
});
const lrp = lrpFixture("lrp-cc-2024.json");
const text = k8sManifest(planApp(lrp, options));
interface EnvEntry {
  name: string;
  value?: string;
  valueFrom?: { fieldRef: { fieldPath: string } };
}
interface PodContainer {
  image: string;
  command: string[];
  args: string[];
  env: EnvEntry[];
  resources: unknown;
  startupProbe: unknown;
  livenessProbe: unknown;
  readinessProbe: { httpGet: unknown };
}
interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec: {
    serviceName?: string;
    podManagementPolicy?: string;
    clusterIP?: string;
    replicas: number;
    selector: Record<string, unknown> & { matchLabels: Record<string, string> };
    ports: unknown[];
    template: {
      metadata: { labels: Record<string, string> };
      spec: { containers: PodContainer[] };
    };
  };
}

function documentsOf(yaml: string): Manifest[] {
  return parseAllDocuments(yaml).map((doc) => doc.toJS() as Manifest);
}

function envOf(workload: Manifest | undefined): Map<string, EnvEntry> {
  const container = workload?.spec.template.spec.containers[0] as PodContainer;
  return new Map(container.env.map((v) => [v.name, v]));
}

const documents = documentsOf(text);
const [deployment, service, headless] = documents;
const container = deployment?.spec.template.spec.containers[0] as PodContainer;
const env = envOf(deployment);
const podIndex = "metadata.labels['apps.kubernetes.io/pod-index']";

describe("the Kubernetes manifest", () => {
  it("is a StatefulSet with the LRP's instances, a Service of its published ports and a headless one", () => {
    expect(deployment).toMatchObject({
      apiVersion: "apps/v1",
      kind: "StatefulSet",
      metadata: { name: "node-env" },
    });
    expect(deployment?.spec.replicas).toBe(2);
    expect(deployment?.spec.serviceName).toBe("node-env-pods");
    expect(deployment?.spec.podManagementPolicy).toBe("Parallel");
    expect(headless).toMatchObject({
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "node-env-pods" },
      spec: { clusterIP: "None" },
    });
    expect(headless?.spec.selector).toEqual(deployment?.spec.selector.matchLabels);
    expect(deployment?.spec.template.metadata.labels).toMatchObject(
      deployment?.spec.selector.matchLabels ?? {},
    );
    expect(service).toMatchObject({
      kind: "Service",
      spec: { ports: [{ port: 8080, targetPort: 8080 }] },
    });
    expect(documents).toHaveLength(3);
    expect(service?.spec.selector).toEqual(deployment?.spec.selector.matchLabels);
  });

  it("runs the run action's argv behind the start script, with nofile applied there", () => {
    expect(container.image).toBe("registry.example.com/node-env:1");
    expect(container.args).toEqual(["/tmp/lifecycle/launcher", "app", "node server.js", ""]);
    expect(container.command.slice(0, 2)).toEqual(["/bin/sh", "-c"]);
    expect(container.command[2]).toContain("ulimit -n 16384");
    expect(container.command[2]).toContain("$$(hostname -I");
    expect(container.command[2]).toContain('INSTANCE_GUID=$$(printf %.28s "${INSTANCE_GUID:-}")');
  });

  it("keeps the recorded env, escapes $( and takes per-pod values from the pod", () => {
    expect(env.get("VCAP_SERVICES")?.value).toContain("Db-Passw0rd-4242");
    expect(env.get("SHELLY")?.value).toBe("echo $$(date)");
    expect(env.get("INSTANCE_GUID")?.valueFrom?.fieldRef.fieldPath).toBe("metadata.uid");
    expect(env.get("CF_INSTANCE_INTERNAL_IP")?.valueFrom?.fieldRef.fieldPath).toBe("status.podIP");
    expect(env.get("CF_INSTANCE_ADDR")?.value).toBe("$(CF_INSTANCE_IP):8080");
    expect(env.get("CF_INSTANCE_PORTS")?.value).toBe(
      '[{"external":8080,"internal":8080},{"internal":2222}]',
    );
    const names = container.env.map((v) => v.name);
    expect(names.indexOf("CF_INSTANCE_IP")).toBeLessThan(names.indexOf("CF_INSTANCE_ADDR"));
  });

  it("gives each pod its ordinal as INSTANCE_INDEX and CF_INSTANCE_INDEX (the pod-index label)", () => {
    for (const name of ["INSTANCE_INDEX", "CF_INSTANCE_INDEX"]) {
      expect(env.get(name)).toEqual({ name, valueFrom: { fieldRef: { fieldPath: podIndex } } });
    }
    expect(env.get("CF_INSTANCE_GUID")?.valueFrom?.fieldRef.fieldPath).toBe("metadata.uid");
    const names = container.env.map((v) => v.name);
    expect(names.slice(0, 4)).toEqual([
      "INSTANCE_GUID",
      "INSTANCE_INDEX",
      "CF_INSTANCE_GUID",
      "CF_INSTANCE_INDEX",
    ]);
  });

  it("keeps an --env INSTANCE_INDEX as given", () => {
    const pinned = planApp(lrp, { ...options, env: [{ name: "INSTANCE_INDEX", value: "7" }] });
    const pinnedEnv = envOf(documentsOf(k8sManifest(pinned))[0]);
    expect(pinnedEnv.get("INSTANCE_INDEX")).toEqual({ name: "INSTANCE_INDEX", value: "7" });
    expect(pinnedEnv.get("CF_INSTANCE_INDEX")?.valueFrom?.fieldRef.fieldPath).toBe(podIndex);
  });

  it("with --k8s-kind deployment: a Deployment and a Service, every replica at index 0", () => {
    const docs = documentsOf(k8sManifest(planApp(lrp, options), "deployment"));
    expect(docs.map((d) => d.kind)).toEqual(["Deployment", "Service"]);
    const [workload] = docs;
    expect(workload?.spec.serviceName).toBeUndefined();
    expect(workload?.spec.podManagementPolicy).toBeUndefined();
    expect(workload?.spec.replicas).toBe(2);
    const zero = envOf(workload);
    expect(zero.get("INSTANCE_INDEX")).toEqual({ name: "INSTANCE_INDEX", value: "0" });
    expect(zero.get("CF_INSTANCE_INDEX")).toEqual({ name: "CF_INSTANCE_INDEX", value: "0" });
    expect(zero.get("INSTANCE_GUID")?.valueFrom?.fieldRef.fieldPath).toBe("metadata.uid");
  });

  it("maps memory_mb and cpu_weight to resources", () => {
    expect(container.resources).toEqual({
      limits: { memory: "512Mi" },
      requests: { memory: "512Mi", cpu: "60m" },
    });
  });

  it("turns the http check into startup, liveness and readiness probes", () => {
    expect(container.startupProbe).toEqual({
      httpGet: { path: "/health", port: 8080 },
      periodSeconds: 2,
      timeoutSeconds: 1,
      failureThreshold: 30,
    });
    expect(container.livenessProbe).toMatchObject({ periodSeconds: 30, failureThreshold: 1 });
    expect(container.readinessProbe.httpGet).toEqual({ path: "/health", port: 8080 });
  });

  it("writes YAML 1.1-safe text without anchors", () => {
    expect(text).not.toMatch(/[&*]a\d/);
    expect(k8sManifest(planApp(lrp, options), "deployment")).toContain('value: "0"');
  });
});
