/**
 * The requests and checks of secrets.e2e.test.ts: a StagingWorld's task with VCAP_SERVICES
 * credentials planted, a desired LRP of the same app with its own and a diego-sshd host key,
 * and the scans of output, files and labels for any of them.
 */
import { randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import Docker from "dockerode";
import { execa } from "execa";
import { expect } from "vitest";
import { buildDesiredLrp } from "../fake-cf/desired-lrp.js";
import { desiredLrpLogLine } from "../fake-cf/log-lines.js";
import type { StagingWorld } from "../staging-world.js";
import { binPath, runCli, type Bin, type CliOptions, type CliResult } from "./cli.js";
import type { E2eCase } from "./e2e-case.js";
import { urlSecrets } from "./expectations.js";

export const unique = (): string => randomBytes(6).toString("hex");

/** The credentials planted in one test's requests, and where restager may write. */
export interface Planted {
  world: StagingWorld;
  taskFile: string;
  lrpFile: string;
  lrpLog: string;
  secrets: string[];
  registryPassword: string;
  home: string;
}

/**
 * A StagingWorld whose builder env carries VCAP_SERVICES credentials, and a desired LRP of the
 * same app with its own VCAP_SERVICES and a diego-sshd host key; returns every secret planted.
 */
export async function plant(e2e: E2eCase): Promise<Planted> {
  const world = await e2e.world({ buildpacks: ["static"] });
  const [taskPw, taskUriPw, lrpPw, keyLine, registryPassword] = [
    `task-vcap-${unique()}`,
    `task-uri-${unique()}`,
    `lrp-vcap-${unique()}`,
    `HOSTKEY${unique()}material`,
    `registry-${unique()}`,
  ];
  const services = (password: string, uriPassword: string) =>
    JSON.stringify({
      "p-mysql": [
        {
          name: "db",
          credentials: {
            password,
            uri: `mysql://dbuser:${uriPassword}@db.example.internal:3306/app`,
          },
        },
      ],
    });
  const task = withVcapServices(world.task, services(taskPw, taskUriPw));
  const taskFile = join(e2e.dir, "secret-task.json");
  await writeFile(taskFile, JSON.stringify(task, null, 2));
  const lrpPwUri = `lrp-uri-${unique()}`;
  const lrp = buildDesiredLrp({
    endpoints: world.cf.endpoints(),
    appGuid: world.appGuid,
    appName: "node-env",
    dropletUrl: `${world.cf.urlFor("cloudController")}/internal/v2/droplets/x/y/download`,
    startCommand: "",
    memoryMb: 128,
    env: [{ name: "VCAP_SERVICES", value: services(lrpPw, lrpPwUri) }],
  });
  addSshd(lrp, keyLine);
  const lrpFile = join(e2e.dir, "lrp.json");
  await writeFile(lrpFile, JSON.stringify(lrp, null, 2));
  const lrpLog = join(e2e.dir, "nsync.log");
  await writeFile(lrpLog, `${desiredLrpLogLine(lrp)}\n`);
  const home = join(e2e.dir, "home");
  await mkdir(home);
  const secrets = [
    ...urlSecrets(world.task, { signatures: true }),
    ...[taskPw, taskUriPw, lrpPw, lrpPwUri, keyLine, registryPassword],
  ];
  expect(secrets).toContain(world.cf.credentials.password);
  return { world, taskFile, lrpFile, lrpLog, secrets, registryPassword, home };
}

/** The task with VCAP_SERVICES replaced in every env list that has it (the builder's). */
function withVcapServices(task: Record<string, unknown>, value: string): Record<string, unknown> {
  const json = JSON.stringify(task, (key, v: unknown) => {
    if (!Array.isArray(v) || key !== "env") return v;
    return v.map((entry: { name?: string }) =>
      entry.name === "VCAP_SERVICES" ? { ...entry, value } : entry,
    );
  });
  if (!json.includes("p-mysql")) throw new Error("the task has no VCAP_SERVICES to fill");
  return JSON.parse(json) as Record<string, unknown>;
}

/** Adds diego-sshd beside the launcher, as CC does with SSH enabled, with a private host key. */
function addSshd(lrp: Record<string, unknown>, keyLine: string): void {
  const action = lrp.action as { codependent: { actions: unknown[] } };
  const hostKey = `-----BEGIN RSA PRIVATE KEY-----\n${keyLine}\n-----END RSA PRIVATE KEY-----\n`;
  action.codependent.actions.push({
    run: {
      path: "/tmp/lifecycle/diego-sshd",
      args: ["-address=0.0.0.0:2222", `-hostKey=${hostKey}`, "-inheritDaemonEnv"],
      env: [],
      resource_limits: {},
      user: "vcap",
      log_source: "SSHD",
    },
  });
}

/** The task with its app package URL signed to have expired an hour ago. */
export async function expiredTask(e2e: E2eCase, planted: Planted): Promise<string> {
  const blob = planted.world.cf.blobstore.get(`cc-packages/${planted.world.appGuid}`);
  if (!blob) throw new Error("no app package blob");
  const text = await readFile(planted.taskFile, "utf8");
  const current = blob.signedUrl().split("?")[0] ?? "";
  const expiredUrl = blob.signedUrl({ expires: Math.floor(Date.now() / 1000) - 3600 });
  const replaced = text.replace(new RegExp(`${escape(current)}\\?[^"]+`), expiredUrl);
  if (replaced === text) throw new Error("no app package URL in the task");
  const file = join(e2e.dir, "expired-task.json");
  await writeFile(file, replaced);
  return file;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

export type Runner = (bin: Bin, args: string[], extra?: CliOptions) => Promise<CliResult>;

/** Runs the CLI with the test's cwd, TMPDIR and cache, and HOME in the test's directory. */
export function cliRunner(e2e: E2eCase, planted: Planted): Runner {
  return (bin, args, extra = {}) => {
    const withCache = bin === "restage" ? [...args, "--cache-dir", e2e.cacheDir] : args;
    return runCli(bin, withCache, e2e.cliOptions({ ...extra, env: { HOME: planted.home } }));
  };
}

/** What a person at a terminal sees: the command under `script`, in a pseudo-terminal. */
export async function runOnTerminal(
  e2e: E2eCase,
  planted: Planted,
  command: string[],
): Promise<string> {
  const [bin, ...args] = command as [Bin, ...string[]];
  const line = [process.execPath, binPath(bin), ...args].map((a) => `'${a}'`).join(" ");
  const result = await execa("script", ["-qefc", line, "/dev/null"], {
    cwd: e2e.cwd,
    env: { NO_COLOR: "1", TMPDIR: e2e.tmpDir, HOME: planted.home, COLUMNS: "200" },
    reject: false,
    timeout: 60_000,
  });
  expect(result.exitCode, result.stdout).toBe(0);
  return result.stdout.replaceAll("\r", "");
}

/** Fails naming the secret and the line it was found on. */
export function expectClean(what: string, text: string, secrets: readonly string[]): void {
  for (const secret of secrets) {
    const line = text.split("\n").find((l) => l.includes(secret));
    expect(line, `${what} shows the secret ${secret}`).toBeUndefined();
  }
}

/**
 * Every file restager could have written: the output dir (gzip bodies unpacked), the cache,
 * TMPDIR, HOME and the working directory. The --out manifest lives elsewhere on purpose.
 */
export async function expectNoSecretFiles(
  e2e: E2eCase,
  planted: Planted,
  { extraDirs = [], expectFiles = true }: { extraDirs?: string[]; expectFiles?: boolean } = {},
): Promise<void> {
  const dirs = [e2e.cwd, e2e.cacheDir, e2e.tmpDir, planted.home, ...extraDirs];
  let scanned = 0;
  for (const dir of dirs) {
    for (const file of await listFiles(dir)) {
      scanned++;
      let bytes = await readFile(file);
      if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
      const text = bytes.toString("latin1");
      for (const secret of planted.secrets) {
        expect(text.includes(secret), `${file} holds the secret ${secret}`).toBe(false);
      }
    }
  }
  if (expectFiles) expect(scanned, "files scanned").toBeGreaterThan(0);
  else expect(scanned, "files written by commands that should write none").toBe(0);
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

/** Labels of the app's containers and images hold no secret (env is the app's, on purpose). */
export async function expectCleanLabels(planted: Planted): Promise<void> {
  const docker = new Docker();
  const filters = { label: [`io.restager.app-guid=${planted.world.appGuid}`] };
  const containers = await docker.listContainers({ all: true, filters });
  const images = await docker.listImages({ filters });
  expect(containers.length + images.length).toBeGreaterThan(0);
  const labels = JSON.stringify([
    ...containers.map((c) => c.Labels),
    ...images.map((i) => i.Labels),
  ]);
  expectClean("labels", labels, planted.secrets);
}
