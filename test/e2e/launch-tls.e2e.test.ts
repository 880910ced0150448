/**
 * `launch` against a Cloud Foundry that speaks TLS everywhere: on a machine without the app's
 * image, the droplet comes from Cloud Controller's internal API, which requires the cell's client
 * certificate, and the lifecycle from the file server signed by the platform's CA. Without the
 * client certificate launch stops at the handshake, before any container exists.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TEST_RUN_LABEL, testRunId } from "../kit/docker-leaks.js";
import { buildDesiredLrp } from "../kit/fake-cf/desired-lrp.js";
import { runCli } from "../kit/e2e/cli.js";
import { useE2eCase } from "../kit/e2e/e2e-case.js";
import { expectExit, expectNoStackTrace } from "../kit/e2e/expectations.js";
import { flags, tlsWorld } from "../kit/e2e/tls-world.js";

interface RestageJson {
  droplet: { md5: string; sha256: string };
  result: { process_types: Record<string, string> };
}

interface LaunchJson {
  image: string;
  instances: { state: string; urls: string[] }[];
}

describe("launch over mutual TLS", () => {
  const current = useE2eCase();

  it("downloads the droplet from the mutual-TLS Cloud Controller and runs it; refuses without --cert", async () => {
    const e2e = current();
    const { world, files } = await tlsWorld(e2e);
    const staged = await e2e.restage([world.taskFile, ...flags(files), "--json", "--no-image"]);
    expectExit(staged, 0);
    const report = JSON.parse(staged.stdout) as RestageJson;
    const endpoints = world.cf.endpoints();
    // CC-direct era: the droplet is named by the build guid it was uploaded under.
    const dropletGuid = world.cf.uploadedDroplets()[0]?.guid ?? "";
    expect(endpoints.cloudController).toMatch(/^https:/);
    const lrp = buildDesiredLrp({
      endpoints,
      appGuid: world.appGuid,
      appName: "tls-app",
      dropletUrl: `${endpoints.cloudController}/internal/v4/droplets/${dropletGuid}/${report.droplet.sha256}/download`,
      startCommand: report.result.process_types["web"] ?? "",
      memoryMb: 128,
      dropletSha256: report.droplet.sha256,
    });
    const file = join(e2e.dir, "lrp.json");
    await writeFile(file, JSON.stringify(lrp));
    const cacheDir = join(e2e.dir, "launch-cache");
    const launch = ["launch", file, "--json", "--cache-dir", cacheDir];
    const labels = ["--label", `${TEST_RUN_LABEL}=${testRunId()}`];
    const dropletGets = () =>
      world.cf
        .requestsTo("cloudController", `/internal/v4/droplets/${dropletGuid}/`)
        .filter((request) => request.method === "GET");

    const refused = await runCli(
      "restager",
      [...launch, ...labels, "--cacert", files.ca],
      e2e.cliOptions(),
    );
    expectExit(refused, 69);
    const host = new URL(endpoints.cloudController).host;
    expect(refused.stderr).toContain(`TLS: ${host} requires a client certificate`);
    expect(refused.stderr).toContain("--cert FILE --key FILE");
    expectNoStackTrace(refused);
    expect(dropletGets()).toEqual([]);

    const run = await runCli("restager", [...launch, ...labels, ...flags(files)], e2e.cliOptions());
    expectExit(run, 0);
    expect(dropletGets()).toHaveLength(1);
    expect(run.stderr).toContain("from the LRP's droplet");
    const launched = JSON.parse(run.stdout) as LaunchJson;
    const [instance] = launched.instances;
    expect(instance?.state).toBe("running");
    const response = await fetch(`${instance?.urls[0] ?? ""}/`);
    expect(response.status).toBe(200);
    expectExit(await runCli("restager", ["stop", world.appGuid], e2e.cliOptions()), 0);
  });
});
