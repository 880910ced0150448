import { defineConfig } from "vitest/config";

// Three tiers (style.md §4.7): unit needs nothing; docker and e2e need a running engine,
// the stack image (scripts/setup-machine.sh) and, for e2e, the built dist/.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["src/**/*.test.ts"],
          exclude: ["src/**/*.docker.test.ts", "src/e2e/**"],
        },
      },
      {
        test: {
          name: "docker",
          include: ["src/**/*.docker.test.ts"],
          globalSetup: ["src/testing/docker-global-setup.ts"],
          pool: "forks",
          poolOptions: { forks: { singleFork: true } },
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          name: "e2e",
          include: ["src/e2e/**/*.e2e.test.ts"],
          globalSetup: ["src/testing/docker-global-setup.ts"],
          pool: "forks",
          poolOptions: { forks: { singleFork: true } },
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
