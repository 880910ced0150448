import { describe, expect, it } from "vitest";
import { collectSecrets } from "../../../../src/diego/plan/collect-secrets.js";
import { toJsonView } from "../../../../src/diego/plan/json-view.js";
import { requestFixture, requestFixtureNames } from "../../../kit/fixture-files.js";

const fixtures = requestFixtureNames();

const request = requestFixture;

/** Secrets planted in the fixtures: passwords, signatures, keys, service credentials. */
const secrets = [
  "Stag1ngPassw0rd",
  "Intern4lCallbackPw",
  "Db-Passw0rd-4242",
  "PRIVATE KEY",
  "MIIEpAIBAAKCAQEA7nodeenv",
  "MIIEogIBAAKCAQEAroutessh",
  "Regi5try-Token-77f3",
  "X-Amz-Signature",
  "AKIAIOSFODNN7EXAMPLE",
  "md5=",
];

describe("toJsonView", () => {
  it.each(fixtures)("never contains a secret of %s", (name) => {
    const original = request(name);
    const before = JSON.stringify(original);
    const view = JSON.stringify(toJsonView(original));
    for (const secret of secrets) expect(view).not.toContain(secret);
    expect(JSON.stringify(original)).toBe(before);
  });

  it("keeps the camelCase model and non-secret values", () => {
    const view = toJsonView(request("lrp-cc-2024.json")) as Record<string, unknown>;
    expect(view).toMatchObject({
      kind: "lrp",
      instances: 2,
      memoryMb: 512,
      startTimeoutMs: 60000,
      routes: { ssh: { containerPort: 2222, privateKey: "<redacted>" } },
    });
    const json = JSON.stringify(view);
    expect(json).toMatch(
      /"from":"https:\/\/cloud-controller-ng\.service\.cf\.internal:9023\/internal\/v4\/droplets\/273b4ea1-/,
    );
    expect(json).toContain('"node server.js"');
    expect(json).toContain('"-hostKey=<redacted>"');
    expect(json).toContain('{"name":"VCAP_SERVICES","value":"<redacted>"}');
    expect(json).toContain('{"name":"MEMORY_LIMIT","value":"512m"}');
  });

  it("redacts the image password, credential-like env names and URLs in the annotation", () => {
    expect(toJsonView(request("lrp-cc-docker.json"))).toMatchObject({
      imageUsername: "deployer",
      imagePassword: "<redacted>",
    });
    const bbs = JSON.stringify(toJsonView(request("lrp-bbs-2016.json")));
    expect(bbs).toContain('{"name":"DB_PASSWORD","value":"<redacted>"}');
    const task = toJsonView(request("task-bbs-2016.json")) as {
      definition: { annotation: string };
    };
    expect(task.definition.annotation).toContain(
      '"completion_callback":"http://***@cloud-controller-ng.service.cf.internal:9022/',
    );
  });
});

describe("collectSecrets", () => {
  it("finds passwords, nested upload credentials, signatures, keys and service credentials", () => {
    const found = collectSecrets(request("task-bbs-2016.json"));
    expect(found).toEqual(
      expect.arrayContaining([
        "Stag1ngPassw0rd",
        "Intern4lCallbackPw",
        "Db-Passw0rd-4242",
        "u7xk2p9q",
      ]),
    );
    expect(found.some((s) => /^[0-9a-f]{22}$/.test(s))).toBe(true);
    expect(found).not.toContain("900");
    expect(found).not.toContain("1465495532");
  });

  it("finds ssh keys, host keys and the image password", () => {
    const lrp = collectSecrets(request("lrp-cc-2024.json"));
    const keys = lrp.filter((s) => s.startsWith("-----BEGIN RSA PRIVATE KEY-----"));
    expect(keys.some((key) => key.includes("MIIEpAIBAAKCAQEA7nodeenv"))).toBe(true);
    expect(keys.some((key) => key.includes("MIIEogIBAAKCAQEAroutessh"))).toBe(true);
    expect(collectSecrets(request("lrp-cc-docker.json"))).toContain("Regi5try-Token-77f3");
    const s3 = collectSecrets(request("task-cc-2024.json"));
    expect(s3.some((s) => s.startsWith("AKIAIOSFODNN7EXAMPLE"))).toBe(true);
  });
});
