/**
 * Runs bench/baseline.sh (curl, tar/unzip, docker create/cp/start, curl -X POST) on the same
 * staging task restager gets, after writing out what the script needs from the task JSON.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { TaskDefinitionJson } from "../../src/testing/fake-cf/staging-task.js";
import { checkSuccess, runProcess } from "./run-process.js";

const script = resolve(fileURLToPath(new URL("../baseline.sh", import.meta.url)));

export interface BaselineInvocation {
  task: TaskDefinitionJson;
  /** A fresh directory for the script's downloads and extracted trees. */
  workDir: string;
  image: string;
  /** Label put on the container, for cleanup. */
  label: string;
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

/** The baseline's wall time, in ms. */
export async function runBaseline(run: BaselineInvocation): Promise<number> {
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
  };
  const options = { env, signal: run.signal, echoStderr: run.verbose };
  const result = await runProcess("bash", [script, run.workDir], options);
  return checkSuccess("the baseline script", result).wallMs;
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
