/**
 * Leak checks for Docker tests. restager labels every container it creates with
 * `io.restager.managed=true`; tests add `io.restager.test-run=<id>` so that a test, a file or
 * the whole run can assert (and the global teardown can enforce) that nothing is left behind.
 *
 * Safe to import from vitest's globalSetup: nothing here imports `vitest`.
 */
import Docker from "dockerode";

export const MANAGED_LABEL = "io.restager.managed";
export const TEST_RUN_LABEL = "io.restager.test-run";

/** What a leak report needs to say about a container. */
export interface ListedContainer {
  id: string;
  name: string;
  image: string;
  /** Docker's state: created, running, exited, … */
  state: string;
  labels: Record<string, string>;
}

/**
 * Containers, running or not, that carry `filterLabel` (`key` or `key=value`); by default every
 * container restager created on this engine.
 */
export async function listRestagerContainers(
  filterLabel = `${MANAGED_LABEL}=true`,
): Promise<ListedContainer[]> {
  const found = await new Docker().listContainers({ all: true, filters: { label: [filterLabel] } });
  return found.map((info) => ({
    id: info.Id,
    name: (info.Names[0] ?? "").replace(/^\//, ""),
    image: info.Image,
    state: info.State,
    labels: info.Labels,
  }));
}

/** Rejects, naming each one, when a container labelled `label=value` still exists. */
export async function assertNoLeakedContainers(label: string, value: string): Promise<void> {
  const leaked = await listRestagerContainers(`${label}=${value}`);
  if (leaked.length === 0) return;
  const names = leaked.map((c) => `${c.name} (${c.id.slice(0, 12)}, ${c.state}, ${c.image})`);
  throw new Error(
    `${leaked.length} container(s) labelled ${label}=${value} were left behind: ${names.join(", ")}`,
  );
}

/**
 * Force-removes every container labelled `label=value`, with its anonymous volumes; returns how
 * many were removed. A container that disappears meanwhile is not an error.
 */
export async function removeLabelledContainers(label: string, value: string): Promise<number> {
  const docker = new Docker();
  const leaked = await listRestagerContainers(`${label}=${value}`);
  let removed = 0;
  for (const container of leaked) {
    try {
      await docker.getContainer(container.id).remove({ force: true, v: true });
      removed += 1;
    } catch (error) {
      if (!isGoneOrGoing(error)) throw error;
    }
  }
  return removed;
}

/**
 * The id of this vitest run, set by docker-global-setup.ts in the environment that the test
 * workers inherit. Label test containers with `{ [TEST_RUN_LABEL]: testRunId() }` so that the
 * global teardown removes whatever a failed test left.
 */
export function testRunId(): string {
  const id = process.env.RESTAGER_TEST_RUN;
  if (id === undefined || id === "") {
    throw new Error(
      "RESTAGER_TEST_RUN is not set: run this file in the docker or e2e vitest project, whose globalSetup sets it",
    );
  }
  return id;
}

// 404: already removed; 409: removal already in progress.
function isGoneOrGoing(error: unknown): boolean {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return status === 404 || status === 409;
}
