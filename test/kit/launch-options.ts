/** LaunchOptions for unit tests: no flags given, a fixed image and run id, and `overrides`. */
import type { LaunchOptions } from "../../src/launch/launch-options.js";

export function launchOptions(overrides: Partial<LaunchOptions> = {}): LaunchOptions {
  return {
    image: "restager/node-env:latest",
    publish: [],
    envFile: [],
    env: [],
    keepProxy: false,
    withSsh: false,
    labels: {},
    runId: "abcdef123456",
    hostEnv: {},
    ...overrides,
  };
}
