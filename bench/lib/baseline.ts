/**
 * Runs bench/baseline.sh (curl, tar/unzip, docker create/cp/start, curl -X POST, and docker build
 * when asked) on the same staging task restager gets, after writing out what the script needs
 * from the task JSON.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { TaskDefinitionJson } from "../../test/kit/fake-cf/staging-task.js";
import { checkSuccess, runProcess } from "./run-process.js";

const script = resolve(fileURLToPath(new URL("../baseline.sh", import.meta.url)));

export interface BaselineInvocation {
  task: TaskDefinitionJson;
  /** A fresh directory for the script's downloads and extracted trees. */
  workDir: string;
  image: string;
  /** Label put on the container and the image, for cleanup. */
  label: string;
  /** Also `docker build` an image of the stack, lifecycle and droplet, tagged so. */
  imageTag?: string | undefined;
  signal: AbortSignal;
  verbose: boolean;
}

interface TaskParts {
  cached: string[];
  downloads: string[];
  uploads: string[];
  argv: string[];
  env: string[];
  user: string;
}

export interface BaselineRun {
  wallMs: number;
  /** The `docker build` step alone (0 without imageTag). */
  buildMs: number;
  /** The floor's parts (issue 14), measured with the image build only (see baseline.sh). */
  floor?: RestageFloor | undefined;
}

export interface RestageFloor {
  /** The builder alone, `docker exec`ed in a prepared container. */
  execMs: number;
  /** One `docker run --rm` of the stack image. */
  runMs: number;
  /** Every download of the task, fetched in parallel by curl. */
  curlMs: number;
}

export async function runBaseline(run: BaselineInvocation): Promise<BaselineRun> {
  const parts = taskParts(run.task);
  const inDir = join(run.workDir, "in");
  await mkdir(inDir, { recursive: true });
  const lines = (items: string[]): string => items.map((item) => `${item}\n`).join("");
  await writeFile(join(inDir, "cached"), lines(parts.cached));
  await writeFile(join(inDir, "downloads"), lines(parts.downloads));
  await writeFile(join(inDir, "uploads"), lines(parts.uploads));
  await writeFile(join(inDir, "argv"), lines(parts.argv));
  await writeFile(join(inDir, "env"), lines(parts.env));
  const env = {
    ...process.env,
    IMAGE: run.image,
    RUN_USER: parts.user,
    RUN_UID: parts.user === "root" ? "0" : "2000",
    RUN_GID: parts.user === "root" ? "0" : "2000",
    WORKDIR: parts.user === "root" ? "/root" : `/home/${parts.user}`,
    MEMORY_MB: String(numberField(run.task, "memory_mb") || 1024),
    LABEL: run.label,
    DROPLET_FROM: dropletPath(parts.argv),
    BUILD_IMAGE: run.imageTag === undefined ? "0" : "1",
    TAG: run.imageTag ?? "",
    FLOOR: run.imageTag === undefined ? "0" : "1",
  };
  const options = { env, signal: run.signal, echoStderr: run.verbose };
  const result = await runProcess("bash", [script, run.workDir], options);
  const { wallMs } = checkSuccess("the baseline script", result);
  if (run.imageTag === undefined) return { wallMs, buildMs: 0 };
  const ms = async (name: string) => Number(await readFile(join(run.workDir, name), "utf8"));
  const floor = {
    execMs: await ms("floor-exec-ms"),
    runMs: await ms("floor-run-ms"),
    curlMs: await ms("floor-curl-ms"),
  };
  // The floor's steps run inside the script; its wall time is the baseline's own without them.
  const floorMs = await ms("floor-total-ms");
  return { wallMs: wallMs - floorMs, buildMs: await ms("build-ms"), floor };
}

/** Where the builder writes the droplet (`-outputDroplet=`; /tmp/droplet by default). */
function dropletPath(argv: readonly string[]): string {
  const flag = argv.find((arg) => arg.startsWith("-outputDroplet="));
  return flag === undefined ? "/tmp/droplet" : flag.slice("-outputDroplet=".length);
}

/** Cached dependencies, downloads, uploads and the run action of a raw (snake_case) task. */
function taskParts(task: TaskDefinitionJson): TaskParts {
  const parts: TaskParts = { cached: [], downloads: [], uploads: [], argv: [], env: [], user: "" };
  for (const dependency of arrayField(task, "cached_dependencies")) {
    parts.cached.push(`${stringField(dependency, "to")} ${stringField(dependency, "from")}`);
  }
  for (const variable of arrayField(task, "env")) parts.env.push(envLine(variable));
  visit(task.action, false, parts);
  if (parts.argv.length === 0) throw new Error("the task has no run action");
  return parts;
}

function visit(node: unknown, optional: boolean, parts: TaskParts): void {
  if (Array.isArray(node)) {
    for (const item of node) visit(item, optional, parts);
    return;
  }
  if (typeof node !== "object" || node === null) return;
  const record = node as Record<string, unknown>;
  const flag = optional ? "1" : "0";
  for (const [key, value] of Object.entries(record)) {
    if (key === "download") {
      parts.downloads.push(`${flag} ${stringField(value, "to")} ${stringField(value, "from")}`);
    } else if (key === "upload") {
      parts.uploads.push(`${flag} ${stringField(value, "from")} ${stringField(value, "to")}`);
    } else if (key === "run") {
      parts.argv = [stringField(value, "path"), ...arrayField(value, "args").map(String)];
      parts.env.push(...arrayField(value, "env").map(envLine));
      parts.user = stringField(value, "user");
    } else {
      visit(value, optional || key === "try", parts);
    }
  }
}

function envLine(variable: unknown): string {
  return `${stringField(variable, "name")}=${stringField(variable, "value")}`;
}

function field(node: unknown, name: string): unknown {
  return typeof node === "object" && node !== null
    ? (node as Record<string, unknown>)[name]
    : undefined;
}

function stringField(node: unknown, name: string): string {
  const value = field(node, name);
  return typeof value === "string" ? value : "";
}

function numberField(node: unknown, name: string): number {
  const value = field(node, name);
  return typeof value === "number" ? value : 0;
}

function arrayField(node: unknown, name: string): unknown[] {
  const value = field(node, name);
  return Array.isArray(value) ? (value as unknown[]) : [];
}
