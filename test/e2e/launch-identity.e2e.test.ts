/**
 * Identity as on a cell: every launched instance has CF_INSTANCE_CERT / CF_INSTANCE_KEY whose
 * certificate names the instance guid (CN, DNS SAN), the LRP's OUs and the container's address
 * (IP SAN), reissued when the instance restarts; and the trusted certificates with
 * CF_SYSTEM_CERT_PATH.
 */
import { execFile } from "node:child_process";
import { X509Certificate, createPrivateKey } from "node:crypto";
import { promisify } from "node:util";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import Docker from "dockerode";
import { describe, expect, it } from "vitest";
import { runCli } from "../kit/e2e/cli.js";
import { expectExit } from "../kit/e2e/expectations.js";
import { until } from "../kit/e2e/until.js";
import { uniqueAppName, useRestagedApps } from "../kit/e2e/restaged-app.js";
import { x509Pki } from "../../src/x509/x509-pki.js";
import { useLaunchRole } from "../kit/e2e/launch-role.js";

const docker = new Docker();
const execFileAsync = promisify(execFile);
const { labelArgs } = useLaunchRole("launch-identity");
const apps = useRestagedApps({ hello: { app: "hello-shell", appName: uniqueAppName("identity") } });
const ous = ["organization:0a1b", "space:2c3d", "app:4e5f"];

/** Runs `script` in the instance as the app's user; its stdout. */
async function exec(id: string, script: string): Promise<string> {
  const { stdout } = await execFileAsync("docker", [
    "exec",
    "-u",
    "vcap",
    id,
    "/bin/sh",
    "-c",
    script,
  ]);
  return stdout;
}

async function instanceCert(id: string): Promise<X509Certificate> {
  return new X509Certificate(await exec(id, "cat /etc/cf-instance-credentials/instance.crt"));
}

async function ipOf(id: string): Promise<string> {
  const { Networks } = (await docker.getContainer(id).inspect()).NetworkSettings;
  return Object.values(Networks)[0]?.IPAddress ?? "";
}

/** Processes on this host whose command line mentions `text`. */
async function processesMentioning(text: string): Promise<string[]> {
  const found: string[] = [];
  for (const pid of await readdir("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    const cmdline = await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "");
    if (cmdline.includes(text)) found.push(cmdline.replace(/\0/g, " "));
  }
  return found;
}

describe("the identity of launched instances", () => {
  it("gives each instance its credentials and the trusted certificates; reissues at restart", async () => {
    const { hello } = apps();
    const certsDir = join(hello.e2e.dir, "trusted");
    await mkdir(certsDir, { recursive: true });
    const trusted = await x509Pki.createAuthority({
      commonName: "launch-identity trusted CA",
      notAfter: new Date(Date.now() + 86_400_000),
    });
    await writeFile(join(certsDir, "trusted-ca.pem"), trusted.certPem);
    const lrp = hello.lrp();
    lrp.certificate_properties = { organizational_unit: ous };
    const { file } = await hello.writeLrp("identity", lrp);
    const args = ["launch", file, "--json", "--trusted-certs", certsDir, ...labelArgs];
    const run = await runCli("restager", args, hello.cli());
    expectExit(run, 0);
    const report = JSON.parse(run.stdout) as {
      instances: { id: string; guid: string; urls: string[] }[];
    };
    const [instance] = report.instances;
    const id = instance?.id ?? "";
    const guid = instance?.guid ?? "";
    const url = instance?.urls[0] ?? "";

    const env = await (await fetch(`${url}/env.txt`)).text();
    expect(env).toContain("CF_INSTANCE_CERT=/etc/cf-instance-credentials/instance.crt\n");
    expect(env).toContain("CF_INSTANCE_KEY=/etc/cf-instance-credentials/instance.key\n");
    expect(env).toContain("CF_SYSTEM_CERT_PATH=/etc/cf-system-certificates\n");
    const listing = await exec(
      id,
      "stat -c '%U %a %n' /etc/cf-system-certificates/* /etc/cf-instance-credentials/*",
    );
    expect(listing).toContain("root 644 /etc/cf-system-certificates/trusted-ca.pem");
    expect(listing).toContain("root 644 /etc/cf-instance-credentials/instance.key");
    expect(await exec(id, "cat /etc/cf-system-certificates/trusted-ca.pem")).toBe(trusted.certPem);

    const first = await instanceCert(id);
    expect(first.subject).toContain(`CN=${guid}`);
    for (const ou of ous) expect(first.subject).toContain(ou);
    expect(first.subjectAltName).toBe(`DNS:${guid}, IP Address:${await ipOf(id)}`);
    expect(await exec(id, "head -1 /etc/cf-instance-credentials/instance.key")).toBe(
      "-----BEGIN RSA PRIVATE KEY-----\n",
    );
    const hours = (Date.parse(first.validTo) - Date.parse(first.validFrom)) / 3_600_000;
    expect(hours).toBe(24);

    // A crash: the engine restarts the same container; the keeper issues new credentials,
    // and the app starts only once they are there.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await exec(id, "kill -TERM 1");
    await until("the restart", async () => {
      const info = await docker.getContainer(id).inspect();
      return info.RestartCount >= 1 && info.State.Running ? info : undefined;
    });
    const second = await until("new credentials", async () => {
      const cert = await instanceCert(id).catch(() => undefined);
      return cert && cert.serialNumber !== first.serialNumber ? cert : undefined;
    });
    expect(second.subject).toContain(`CN=${guid}`);
    expect(second.subjectAltName).toBe(`DNS:${guid}, IP Address:${await ipOf(id)}`);
    expect(Date.parse(second.validFrom)).toBeGreaterThan(Date.parse(first.validFrom));

    const runId = (await docker.getContainer(id).inspect()).Config.Labels["io.restager.run"] ?? "";
    expect(await processesMentioning(runId)).toHaveLength(1);
    expectExit(await runCli("restager", ["stop", hello.appGuid], hello.cli()), 0);
    // The keeper ends with the app's containers.
    await until("the keeper's end", async () =>
      (await processesMentioning(runId)).length === 0 ? true : undefined,
    );
  });

  it("takes each instance's key from those the last launch's keeper made ahead, once", async () => {
    const { hello } = apps();
    const { file } = await hello.writeLrp("spare-keys", hello.lrp());
    const launch = async () => {
      const run = await runCli("restager", ["launch", file, "--json", ...labelArgs], hello.cli());
      expectExit(run, 0);
      const report = JSON.parse(run.stdout) as { instances: { id: string }[] };
      return report.instances[0]?.id ?? "";
    };
    const stop = async (id: string) => {
      const runId = (await docker.getContainer(id).inspect()).Config.Labels["io.restager.run"];
      expectExit(await runCli("restager", ["stop", hello.appGuid], hello.cli()), 0);
      await until("the keeper's end", async () =>
        (await processesMentioning(runId ?? "")).length === 0 ? true : undefined,
      );
    };
    // The keys are kept beside the launch's CA, in the cache directory ($XDG_CACHE_HOME here).
    const pool = join(hello.e2e.cacheDir, "restager", "identity-ca", "spare-keys");
    const keptKeys = async () =>
      (await readdir(pool).catch(() => [])).filter((name) => !name.startsWith("."));
    // The keeper makes the key once launch returned, and ends with the app: stopping the app
    // before the key is there would end the keeper first (a race under load).
    const first = await launch();
    const [kept] = await until("a key made ahead", async () => {
      const names = await keptKeys();
      return names.length === 1 ? names : undefined;
    });
    await stop(first);
    const keptPem = await readFile(join(pool, kept ?? ""), "utf8");

    const id = await launch();
    const instanceKey = createPrivateKey(
      await exec(id, "cat /etc/cf-instance-credentials/instance.key"),
    );
    expect(instanceKey.export({ type: "pkcs8", format: "pem" })).toBe(keptPem);
    expect(await keptKeys()).not.toContain(kept);
    const replacement = await until("the next launch's key", async () => {
      const names = await keptKeys();
      return names.length === 1 ? names[0] : undefined;
    });
    expect(await readFile(join(pool, replacement), "utf8")).not.toBe(keptPem);
    await stop(id);
  });
});
