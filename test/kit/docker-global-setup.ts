/**
 * vitest globalSetup of the docker and e2e projects (vitest.config.ts).
 *
 * Setup fails (never skips) unless the engine answers and the stack image and its cflinuxfs
 * stand-ins exist; the error names the command that fixes it. It then gives the run an id:
 * `process.env.RESTAGER_TEST_RUN`, which the forked test workers inherit because vitest builds
 * their environment after global setup, and `inject("restagerTestRun")`. An id already in the
 * environment is kept, so the two projects of one vitest invocation share it.
 *
 * Teardown force-removes every container labelled `io.restager.test-run=<that id>`.
 */
import { randomBytes } from "node:crypto";
import Docker from "dockerode";
import type { TestProject } from "vitest/node";
import { UnavailableError } from "../../src/errors.js";
import { TEST_RUN_LABEL, removeLabelledContainers } from "./docker-leaks.js";

declare module "vitest" {
  export interface ProvidedContext {
    restagerTestRun: string;
  }
}

const setupCommand = "bash scripts/setup-machine.sh";
/** The image the tests run in, and the names restager's default stack mapping resolves to. */
const requiredImages = [
  "restager/stack:bookworm",
  "restager/cflinuxfs4:latest",
  "restager/cflinuxfs3:latest",
  "restager/cflinuxfs2:latest",
];

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const docker = new Docker({ timeout: 15_000 });
  await pingEngine(docker);
  await requireImages(docker);
  const runId = process.env.RESTAGER_TEST_RUN || `run-${randomBytes(6).toString("hex")}`;
  process.env.RESTAGER_TEST_RUN = runId;
  project.provide("restagerTestRun", runId);
  return async () => {
    await removeLabelledContainers(TEST_RUN_LABEL, runId);
  };
}

async function pingEngine(docker: Docker): Promise<void> {
  const where = process.env.DOCKER_HOST || "unix:///var/run/docker.sock";
  try {
    await docker.ping();
  } catch (cause) {
    throw new UnavailableError(
      `The Docker engine at ${where} does not answer (${describe(cause)}). ` +
        `Run \`${setupCommand}\` as root to install and start it, then rerun the tests.`,
      { hint: `Run: ${setupCommand}`, cause },
    );
  }
}

async function requireImages(docker: Docker): Promise<void> {
  const missing: string[] = [];
  for (const name of requiredImages) {
    try {
      await docker.getImage(name).inspect();
    } catch (cause) {
      if ((cause as { statusCode?: unknown }).statusCode !== 404) throw cause;
      missing.push(name);
    }
  }
  if (missing.length === 0) return;
  throw new UnavailableError(
    `Missing Docker image(s): ${missing.join(", ")}. ` +
      `Run \`${setupCommand}\` to build the stack image and its tags (about a minute), then rerun the tests.`,
    { hint: `Run: ${setupCommand}` },
  );
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
