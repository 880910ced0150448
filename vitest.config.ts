import { defineConfig } from "vitest/config";

// Three tiers (CONTRIBUTING.md, "The test tiers"): unit needs nothing; docker and e2e need a running engine,
// the stack image (scripts/setup-machine.sh) and, for e2e, the built dist/.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["test/unit/**/*.test.ts"],
        },
      },
      {
        test: {
          name: "docker",
          include: ["test/docker/**/*.docker.test.ts"],
          globalSetup: ["test/kit/docker-global-setup.ts"],
          pool: "forks",
          poolOptions: { forks: { singleFork: true } },
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.e2e.test.ts"],
          globalSetup: ["test/kit/docker-global-setup.ts"],
          pool: "forks",
          poolOptions: { forks: { singleFork: true } },
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
