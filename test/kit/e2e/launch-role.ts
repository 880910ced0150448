/**
 * The containers of one launch e2e file: a role label every launch of the file adds (with the
 * test run's label), and a check after each test that none is left (they are removed first, so
 * one failing test does not fail the next).
 */
import { afterEach, expect } from "vitest";
import {
  listRestagerContainers,
  removeLabelledContainers,
  TEST_RUN_LABEL,
  testRunId,
} from "../docker-leaks.js";
import { uniqueAppName } from "./restaged-app.js";

export interface LaunchRole {
  /** The role label's key (its value is `1`). */
  role: string;
  /** `--label` arguments for every launch of the file. */
  labelArgs: string[];
}

/** Registers the after-each check; call once at the top of a test file. */
export function useLaunchRole(name: string): LaunchRole {
  const role = `io.restager.test-role-${uniqueAppName(name)}`;
  afterEach(async () => {
    const leaked = await listRestagerContainers(`${role}=1`);
    await removeLabelledContainers(role, "1");
    expect(leaked.map((c) => `${c.name} (${c.state})`)).toEqual([]);
  });
  return {
    role,
    labelArgs: ["--label", `${TEST_RUN_LABEL}=${testRunId()}`, "--label", `${role}=1`],
  };
}
