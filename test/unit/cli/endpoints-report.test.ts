import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestPki, writeIdentity } from "../../kit/test-pki.js";
import { runMain } from "../../kit/run-main.js";
import { requestFixturePath } from "../../kit/fixture-files.js";

const fixture = requestFixturePath;

async function endpointsOf(argv: string[]): Promise<string[]> {
  const { code, stdout } = await runMain(["explain", ...argv]);
  expect(code).toBe(0);
  const lines = stdout.split("\n");
  return lines.slice(lines.indexOf("Endpoints") + 1).map((line) => line.replace(/ {2,}/g, "  "));
}

describe(
  "explain: what each endpoint demands and whether restager has it",
  { timeout: 30_000 },
  () => {
    let dir: string;
    let flags: string[];

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), "restager-endpoints-"));
      const pki = await createTestPki([]);
      const ca = join(dir, "tls_ca.crt");
      await writeFile(ca, pki.ca.certPem);
      const cell = await writeIdentity(dir, "tls", pki.cell);
      flags = ["--cacert", ca, "--cert", cell.cert, "--key", cell.key];
    });
    afterAll(() => rm(dir, { recursive: true, force: true }));

    it("says what is missing for a current (CC-direct) task", async () => {
      const lines = await endpointsOf([fixture("task-cc-2024.json")]);
      expect(lines).toContain(
        "  https://file-server.service.cf.internal:8447  file server: TLS; MISSING the platform's CA (a private CA signs internal names): pass --cacert FILE",
      );
      expect(lines).toContain(
        "  https://cc-packages.s3.us-east-1.amazonaws.com  server: TLS; verified with the system CAs",
      );
      expect(lines).toContain(
        "  https://cc-uploader.service.cf.internal:9091  cc-uploader: mutual TLS (client certificate required); MISSING the platform's CA (a private CA signs internal names): pass --cacert FILE; MISSING a client certificate: pass --cert FILE --key FILE",
      );
      expect(lines).toContain("  for upload droplet, upload build artifacts cache");
      expect(lines).toContain("  for download build artifacts cache, callback");
    });

    it("says what covers each endpoint once --cacert, --cert and --key are given", async () => {
      const lines = await endpointsOf([fixture("task-cc-2024.json"), ...flags]);
      const uploader = lines.find((line) => line.includes("cc-uploader.service.cf.internal"));
      expect(uploader).toBe(
        `  https://cc-uploader.service.cf.internal:9091  cc-uploader: mutual TLS (client certificate required); verified with the system CAs + --cacert ${flags[1]}; presents the client certificate --cert ${flags[3]}`,
      );
      expect(lines.join("\n")).not.toContain("MISSING");
    });

    it("needs nothing for a plain HTTP endpoint (2016 stager task)", async () => {
      const lines = await endpointsOf([fixture("task-bbs-2016.json")]);
      expect(lines).toContain(
        "  http://cc-uploader.service.cf.internal:9090  cc-uploader: plain HTTP; nothing needed",
      );
    });
  },
);
