import { describe, expect, it } from "vitest";
import { planApp } from "../../../src/launch/app-plan.js";
import { appContainerSpec } from "../../../src/launch/container-spec.js";
import { dockerRunLine } from "../../../src/launch/docker-run-line.js";
import { planInstance } from "../../../src/launch/instance-plan.js";
import { launchSecrets } from "../../../src/launch/launch-secrets.js";
import { lrpFixture } from "../../kit/fixture-files.js";
import { pendingCertificates } from "../../kit/pending-certificates.js";

const lrp = lrpFixture("lrp-cc-2024.json");
const userEnv = [{ name: "API_TOKEN", value: "tok-123456" }];
const options = {
  image: "restager/node-env:1",
  publish: [],
  envFile: [],
  env: userEnv,
  keepProxy: false,
  withSsh: true,
  labels: {},
  runId: "abcdef123456",
  hostEnv: {},
};
const plan = planApp(lrp, options);
const instance = planInstance(plan, {
  index: 0,
  guid: "guid-0",
  hostIp: "172.17.0.1",
  ports: [
    { containerPort: 8080, hostPort: 61001 },
    { containerPort: 2222, hostPort: 61002 },
  ],
});
const line = dockerRunLine(appContainerSpec(plan, instance), launchSecrets(lrp, userEnv));

describe("the docker run line of --dry-run", () => {
  it("has every option of the container, one per line", () => {
    const lines = line.split(" \\\n  ");
    expect(lines[0]).toBe("docker run");
    expect(lines).toContain("--name restager-node-env-0-abcdef");
    expect(lines).toContain("--user vcap");
    expect(lines).toContain("--workdir /home/vcap");
    expect(lines).toContain("--publish 61001:8080");
    expect(lines).toContain("--memory 512m");
    expect(lines).toContain("--cpu-shares 61");
    expect(lines).toContain("--ulimit nofile=16384:16384");
    const healthCmd = lines.find((l) => l.startsWith("--health-cmd ")) ?? "";
    expect(healthCmd).toContain(
      "if /tmp/lifecycle/healthcheck -port=8080 -timeout=1000ms -uri=/health; then",
    );
    expect(healthCmd).toContain("then kill -TERM 1; fi");
    expect(lines).toContain("--health-interval 30s");
    expect(lines).toContain("--health-retries 1");
    expect(lines).toContain("--health-start-period 60s");
    expect(lines).toContain("--hostname guid-0");
    expect(lines).toContain("--restart no");
    expect(lines).toContain("--env CF_INSTANCE_ADDR=172.17.0.1:61001");
    expect(lines).toContain("--entrypoint /bin/sh");
    expect(lines.at(-1)).toMatch(
      /^restager\/node-env:1 -c '.*' restager-start \/tmp\/lifecycle\/launcher app 'node server\.js' ''$/s,
    );
  });

  it("mounts a volume where the cell mounts the instance credentials", () => {
    const cell = { identity: true, trustedCerts: pendingCertificates([]) };
    const withCell = planApp(lrp, { ...options, cell });
    const cellInstance = planInstance(withCell, { index: 0, guid: "g", hostIp: "h", ports: [] });
    const lines = dockerRunLine(appContainerSpec(withCell, cellInstance)).split(" \\\n  ");
    expect(lines).toContain("--mount type=volume,dst=/etc/cf-instance-credentials");
    expect(line).not.toContain("--mount");
  });

  it("masks VCAP_SERVICES, credential-named variables and their values anywhere", () => {
    expect(line).toContain("--env 'VCAP_SERVICES=<redacted>'");
    expect(line).toContain("--env 'API_TOKEN=<redacted>'");
    expect(line).not.toContain("Db-Passw0rd-4242");
    expect(line).not.toContain("tok-123456");
    expect(line).not.toContain("u7xk2p9q");
  });

  it("shows the start command as recorded and keeps a quoted word a word", () => {
    expect(line).toContain("'node server.js'");
    expect(line).toContain('\'VCAP_APPLICATION={"limits"');
  });

  it("says when the health check is off", () => {
    const none = planApp({ ...lrp, monitor: undefined, checkDefinition: undefined }, options);
    expect(dockerRunLine(appContainerSpec(none, { ...instance, ports: [] }))).toContain(
      "--no-healthcheck",
    );
  });
});
