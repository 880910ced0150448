import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestPki, issueClient, writeIdentity } from "../../kit/test-pki.js";
import { runMain } from "../../kit/run-main.js";
import { requestFixturePath } from "../../kit/fixture-files.js";

const task = requestFixturePath("task-cc-2024.json");

async function dryRun(args: string[], env: Record<string, string> = {}) {
  const argv = ["restage", task, "--dry-run", ...args];
  const { code, stdout, stderr } = await runMain(argv, env);
  const tlsLine = stdout.split("\n").find((line) => line.startsWith("  tls "));
  return { code, tls: tlsLine?.replace(/^ {2}tls +/, ""), stderr };
}

describe("--cacert, --cert, --key, --insecure and RESTAGER_*", { timeout: 30_000 }, () => {
  let dir: string;
  const files = { ca: "", ca2: "", cert: "", key: "", combined: "", otherKey: "", junk: "" };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "restager-tls-flags-"));
    const pki = await createTestPki([]);
    const second = await createTestPki([]);
    files.ca = join(dir, "ca.crt");
    files.ca2 = join(dir, "ca2.crt");
    await writeFile(files.ca, pki.ca.certPem);
    await writeFile(files.ca2, second.ca.certPem);
    const cell = await writeIdentity(dir, "cell", pki.cell);
    files.cert = cell.cert;
    files.key = cell.key;
    files.combined = join(dir, "combined.pem");
    await writeFile(files.combined, pki.cell.certPem + pki.cell.keyPem, { mode: 0o600 });
    files.otherKey = (await writeIdentity(dir, "other", await issueClient(pki.ca, "x"))).key;
    files.junk = join(dir, "junk.pem");
    await writeFile(files.junk, "not a certificate\n");
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("uses the system CAs and no client certificate by default", async () => {
    expect(await dryRun([])).toEqual({
      code: 0,
      tls: "system CAs; no client certificate",
      stderr: "",
    });
  });

  it("adds every --cacert and presents --cert/--key", async () => {
    const run = await dryRun([
      "--cacert",
      files.ca,
      "--cacert",
      files.ca2,
      "--cert",
      files.cert,
      "--key",
      files.key,
    ]);
    expect(run.tls).toBe(
      `system CAs + --cacert ${files.ca}, ${files.ca2}; client certificate --cert ${files.cert}`,
    );
  });

  it("reads RESTAGER_CACERT (several files), RESTAGER_CERT and RESTAGER_KEY; flags win", async () => {
    const env = {
      RESTAGER_CACERT: `${files.ca}:${files.ca2}`,
      RESTAGER_CERT: files.cert,
      RESTAGER_KEY: files.key,
    };
    expect((await dryRun([], env)).tls).toBe(
      `system CAs + $RESTAGER_CACERT; client certificate $RESTAGER_CERT ${files.cert}`,
    );
    expect((await dryRun(["--cacert", files.ca2], env)).tls).toBe(
      `system CAs + --cacert ${files.ca2}; client certificate $RESTAGER_CERT ${files.cert}`,
    );
  });

  it("takes the key from the --cert file when it holds both, as curl does", async () => {
    expect((await dryRun(["--cert", files.combined])).tls).toBe(
      `system CAs; client certificate --cert ${files.combined}`,
    );
  });

  it("warns loudly about --insecure on every run", async () => {
    const run = await dryRun(["--insecure"]);
    expect(run.tls).toBe("server certificates NOT verified (--insecure); no client certificate");
    expect(run.stderr).toBe(
      "Warning: --insecure: server certificates are NOT verified; anyone on the network path can impersonate the platform's servers and read or change what is downloaded and uploaded\n",
    );
  });

  it.each([
    [["--cacert", "/nonexistent/ca.crt"], 66, "Error: Cannot read --cacert /nonexistent/ca.crt"],
    [["--cacert", "JUNK"], 2, "Error: --cacert JUNK holds no PEM certificate"],
    [["--cert", "CERT"], 2, "Error: --cert needs --key: --cert CERT holds no private key"],
    [["--key", "KEY"], 2, "Error: --key needs a certificate to go with it"],
    [
      ["--cert", "CERT", "--key", "OTHERKEY"],
      2,
      "Error: --key OTHERKEY is not the key of --cert CERT",
    ],
    [["--cert", "CERT", "--key", "CERT"], 2, "Error: --key CERT holds no PEM private key"],
  ])("refuses %j with one clear line (exit %i)", async (args, code, message) => {
    const names: Record<string, string> = {
      JUNK: files.junk,
      CERT: files.cert,
      KEY: files.key,
      OTHERKEY: files.otherKey,
    };
    const resolved = args.map((arg) => names[arg] ?? arg);
    const expected = message.replace(/JUNK|OTHERKEY|CERT|KEY/g, (name) => names[name] ?? name);
    const run = await dryRun(resolved);
    expect(run.code).toBe(code);
    expect(run.stderr.split("\n")[0]).toBe(expected);
    expect(run.stderr).not.toContain("PRIVATE KEY");
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });
});
