/**
 * Secrets never leak: every command runs with --verbose on requests full of credentials — basic
 * auth in URLs (CC's upload URIs), signed blobstore queries, VCAP_SERVICES with a password and a
 * URI with credentials, a diego-sshd private host key, a registry password on stdin — and no
 * secret may appear on stdout, stderr, or in any file restager writes (its output dir, cache,
 * TMPDIR, HOME, working directory), nor in the labels of what it creates. The deliberate
 * exceptions: build-req/launch-req print the request itself (that is their job), and a
 * manifest written with --out keeps the credentials the app needs (mode 0600, with a warning).
 */
import { join } from "node:path";
import { stat } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { TEST_RUN_LABEL, testRunId } from "../kit/docker-leaks.js";
import { faults } from "../kit/fake-cf/fake-cf.js";
import { useE2eCase } from "../kit/e2e/e2e-case.js";
import { expectExit } from "../kit/e2e/expectations.js";
import {
  cliRunner,
  expectClean,
  expectCleanLabels,
  expectNoSecretFiles,
  expiredTask,
  plant,
  runOnTerminal,
  unique,
} from "../kit/e2e/secrets-world.js";

const registry = "127.0.0.1:5000";

describe("no secret leaks with --verbose", () => {
  const current = useE2eCase();

  it("build-req, launch-req, explain and the dry runs show no secret", async () => {
    const e2e = current();
    const planted = await plant(e2e);
    const run = cliRunner(e2e, planted);

    const scraped = await run("build-req", ["--log", planted.world.logFile, "--verbose"]);
    expectExit(scraped, 0);
    // build-req's stdout is the request itself, secrets included: it is what restage replays.
    expect(JSON.parse(scraped.stdout)).toEqual(planted.world.task);
    expectClean("build-req stderr", scraped.stderr, planted.secrets);
    const listed = await run("build-req", ["--log", planted.world.logFile, "--list", "--verbose"]);
    expectExit(listed, 0);
    expectClean("build-req --list", listed.stdout + listed.stderr, planted.secrets);
    const lrp = await run("launch-req", ["--log", planted.lrpLog, "--verbose"]);
    expectExit(lrp, 0);
    expectClean("launch-req stderr", lrp.stderr, planted.secrets);

    for (const file of [planted.taskFile, planted.lrpFile]) {
      for (const json of [[], ["--json"]]) {
        const explained = await run("restager", ["explain", file, "--verbose", ...json]);
        expectExit(explained, 0);
        expectClean(
          `explain ${json.join("")}`,
          explained.stdout + explained.stderr,
          planted.secrets,
        );
      }
    }
    const dry = await run("restage", [planted.taskFile, "--dry-run", "--verbose"]);
    expectExit(dry, 0);
    expectClean("restage --dry-run", dry.stdout + dry.stderr, planted.secrets);
    await expectNoSecretFiles(e2e, planted, { expectFiles: false });
  });

  it("restage, image --push, launch, ps and stop show and write no secret", async () => {
    const e2e = current();
    const planted = await plant(e2e);
    const run = cliRunner(e2e, planted);
    const out = join(e2e.dir, "out");
    const password = `${planted.registryPassword}\n`;
    const labels = ["--label", `${TEST_RUN_LABEL}=${testRunId()}`];

    const staged = await run(
      "restage",
      [planted.taskFile, "--verbose", "--json", "--callback", "--output-dir", out],
      { input: "" },
    );
    expectExit(staged, 0);
    expectClean("restage --json", staged.stdout + staged.stderr, planted.secrets);

    const pushed = await run(
      "restager",
      [
        ...["image", "--droplet", join(out, "droplet.tgz"), "--verbose"],
        ...["--lifecycle", join(planted.world.dir, "buildpack_app_lifecycle.tgz")],
        ...["--stack", "restager/cflinuxfs4:latest", "--app-guid", planted.world.appGuid],
        ...["--app-name", "node-env", "--tag", `restager-e2e/secrets-${unique()}:v1`],
        ...["--push", "--registry", registry, "--insecure-registry"],
        ...["--registry-user", "e2e", "--registry-password-stdin"],
      ],
      { input: password },
    );
    expectExit(pushed, 0);
    expectClean("image --push", pushed.stdout + pushed.stderr, planted.secrets);

    const expired = await run("restage", [await expiredTask(e2e, planted), "--verbose"]);
    expectExit(expired, 77);
    expectClean("restage (expired URL)", expired.stdout + expired.stderr, planted.secrets);

    planted.world.cf.inject(
      { server: "blobstore", path: "/read/cc-packages/" },
      faults.reset(64, Infinity),
    );
    const reset = await run("restage", [planted.taskFile, "--verbose"]);
    expectExit(reset, 69);
    expect(reset.stderr).toMatch(/^Caused by: /m);
    expectClean("restage (connection reset)", reset.stdout + reset.stderr, planted.secrets);
    planted.world.cf.clearFaults();

    const dry = await run("restager", [
      "launch",
      planted.lrpFile,
      "--dry-run",
      "--with-ssh",
      "--verbose",
    ]);
    expectExit(dry, 0);
    expectClean("launch --dry-run", dry.stdout + dry.stderr, planted.secrets);

    // Redirected, the manifest is a file that runs: credentials in it, with a warning.
    const k8s = ["launch", planted.lrpFile, "--output", "k8s", "--with-ssh", "--verbose"];
    const piped = await run("restager", k8s);
    expectExit(piped, 0);
    expect(piped.stdout).toContain(planted.secrets.find((s) => s.startsWith("lrp-vcap-")));
    expect(piped.stderr).toContain("the YAML contains credentials");
    expectClean("launch --output k8s stderr", piped.stderr, planted.secrets);
    const onTerminal = await runOnTerminal(e2e, planted, ["restager", ...k8s]);
    expect(onTerminal).toContain("credentials are masked on the terminal");
    expect(onTerminal).toMatch(/- name: VCAP_SERVICES\n\s+value: '<redacted>'/);
    expectClean("launch --output k8s on a terminal", onTerminal, planted.secrets);
    const manifest = join(e2e.dir, "manifest.yaml");
    const written = await run("restager", [...k8s, "--out", manifest]);
    expectExit(written, 0);
    expect(written.stderr).toContain(`${manifest} contains credentials`);
    expect((await stat(manifest)).mode & 0o777).toBe(0o600);
    expectClean("launch --out", written.stdout + written.stderr, planted.secrets);

    const launched = await run("restager", [
      "launch",
      planted.lrpFile,
      "--verbose",
      "--json",
      ...labels,
    ]);
    expectExit(launched, 0);
    expectClean("launch", launched.stdout + launched.stderr, planted.secrets);
    await expectCleanLabels(planted);
    for (const json of [[], ["--json"]]) {
      const ps = await run("restager", ["ps", "--verbose", ...json]);
      expectExit(ps, 0);
      expectClean(`ps ${json.join("")}`, ps.stdout + ps.stderr, planted.secrets);
    }
    const stopped = await run("restager", ["stop", planted.world.appGuid, "--verbose"]);
    expectExit(stopped, 0);
    expectClean("stop", stopped.stdout + stopped.stderr, planted.secrets);

    await expectNoSecretFiles(e2e, planted, { extraDirs: [out] });
  });
});
