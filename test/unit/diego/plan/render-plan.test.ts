import { describe, expect, it } from "vitest";
import { buildPlan } from "../../../../src/diego/plan/build-plan.js";
import { renderPlan } from "../../../../src/diego/plan/render-plan.js";
import { requestFixture, requestFixtureNames } from "../../../kit/fixture-files.js";

const fixtures = requestFixtureNames();

const request = requestFixture;

/** Secrets planted in the fixtures: passwords, signatures, keys, service credentials. */
const secrets = [
  "Stag1ngPassw0rd",
  "Intern4lCallbackPw",
  "Db-Passw0rd-4242",
  "u7xk2p9q",
  "PRIVATE KEY",
  "MIIEpAIBAAKCAQEA7nodeenv",
  "MIIEogIBAAKCAQEAroutessh",
  "Regi5try-Token-77f3",
  "X-Amz-Signature",
  "AKIAIOSFODNN7EXAMPLE",
  "md5=",
  "expires=",
  "cc-droplet-upload-uri",
];

describe("renderPlan", () => {
  it.each(fixtures)("never prints a secret of %s", (name) => {
    const text = renderPlan(buildPlan(request(name)));
    for (const secret of secrets) expect(text).not.toContain(secret);
  });

  it("prints a staging task as an indented tree with redacted hosts", () => {
    const lines = renderPlan(buildPlan(request("task-bbs-2016.json"))).split("\n");
    expect(lines[0]).toBe("Task (no guid) (bbs-era request)");
    expect(lines).toContain("  rootfs      preloaded:cflinuxfs2 (stack cflinuxfs2)");
    expect(lines).toContain(
      "  limits      memory 1024 MB, disk 6144 MB, cpu weight 50, nofile 16384",
    );
    const action = lines.indexOf("Action");
    expect(lines.slice(action + 1, action + 4)).toEqual([
      "  timeout 15m",
      "    serial",
      '      download "app package" to /tmp/app as vcap',
    ]);
    expect(lines).toContain(
      "          from        http://***@cloud-controller-ng.service.cf.internal:9022/staging/buildpack_cache/273b4ea1-c0b9-4a7c-bd3b-5275150cad19/download",
    );
    expect(lines).toContain(
      '      emit_progress start "Staging...", success "Staging complete", failure "Staging failed"',
    );
    expect(lines).toContain("        run /tmp/lifecycle/builder as vcap in /home/vcap");
    expect(lines).toContain("                      VCAP_SERVICES=<redacted>");
    expect(lines).toContain("Result file /tmp/result.json");
  });

  it("prints a desired LRP's instances, health check, routes, setup and monitor", () => {
    const text = renderPlan(buildPlan(request("lrp-cc-2024.json")));
    expect(text).toMatch(/^Desired LRP 273b4ea1-.* \(domain cf-apps; cc-era request\)$/m);
    expect(text).toContain("  instances   2\n");
    expect(text).toContain(
      "  health      check_definition: http :8080/health (request timeout 1s, every 30s)\n",
    );
    expect(text).toContain(
      "  routes      http node-env.apps.example.com, www.node-env.example.org -> :8080\n",
    );
    expect(text).toContain(
      "              ssh :2222 (host key a6:d1:08:0b:b0:cb:9b:5f:c4:ba:44:2a:97:26:19:8a)",
    );
    expect(text).toContain('\nSetup\n  serial\n    download "droplet" to /home/vcap as vcap\n');
    expect(text).toContain("  codependent (all run at once; the first to exit stops the rest)\n");
    expect(text).toContain("\nMonitor\n  timeout 10m\n");
    expect(text).toContain(
      "      args        -address=0.0.0.0:2222\n                  -hostKey=<redacted>\n",
    );
  });

  it("prints image layers and the setup they become", () => {
    const text = renderPlan(buildPlan(request("task-cc-image-layers.json")));
    expect(text).toContain('  EXCLUSIVE ZIP "app package" to /tmp/app\n');
    expect(text).toContain(
      "    from        https://cc-packages.s3.us-east-1.amazonaws.com/5e/9c/5e9c1a7b-2d4f-4a6e-8b3c-9f1e7d5a2c48?…\n",
    );
    expect(text).toMatch(
      /\nSetup\n {2}parallel .*\n {4}download "app package" to \/tmp\/app as vcap\n/,
    );
    expect(text).toContain(
      "Callback    https://cloud-controller-ng.service.cf.internal:9023/internal/v3/staging/b8f1c3e2-6a4d-4f7b-9c2e-1d5a7e9b3f60/build_completed?…",
    );
  });
});
