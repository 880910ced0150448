import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import type { FoundContainer } from "../../container/docker-runtime.js";
import { UnavailableError } from "../../errors.js";
import { createOutput } from "../output.js";
import { removeStaleStagingContainers } from "./stale-containers.js";

function container(id: string, state: string, extra: Record<string, string> = {}): FoundContainer {
  const labels = {
    "io.restager.managed": "true",
    "io.restager.kind": "staging",
    "io.restager.app-name": "node-env",
    ...extra,
  };
  return { id: id.padEnd(64, "0"), name: `name-${id}`, state, labels };
}

function setup(found: FoundContainer[], options: { pingFails?: boolean } = {}) {
  const removed: string[] = [];
  const runtime = {
    ping: () =>
      options.pingFails ? Promise.reject(new UnavailableError("down")) : Promise.resolve(),
    findContainers: (label: string, value?: string) => {
      expect([label, value]).toEqual(["io.restager.kind", "staging"]);
      return Promise.resolve(found);
    },
    attach: (id: string) => ({ remove: () => Promise.resolve(void removed.push(id)) }),
  };
  const stderr = new PassThrough();
  const lines: string[] = [];
  stderr.on("data", (chunk: Buffer) => lines.push(chunk.toString()));
  const io = { stdin: new PassThrough(), stdout: new PassThrough(), stderr, env: {} };
  const output = createOutput({ ...io, verbose: true, json: false });
  const run = () =>
    removeStaleStagingContainers(runtime as never, output).then(() => ({ removed, lines }));
  return run;
}

describe("removeStaleStagingContainers", () => {
  it("removes stopped staging containers, and only those, saying so", async () => {
    const { removed, lines } = await setup([
      container("aa", "exited"),
      container("bb", "running"),
      container("cc", "created"),
      container("dd", "dead"),
      container("ee", "exited", { "io.restager.keep": "true" }),
      container("ff", "exited", { "io.restager.managed": "false" }),
    ])();
    expect(removed.map((id) => id.slice(0, 2))).toEqual(["aa", "dd"]);
    expect(lines.join("")).toContain(
      "Removed name-aa (aa0000000000), a staging container of node-env left by an interrupted restage",
    );
  });

  it("leaves the engine's absence for restage to report", async () => {
    const { removed, lines } = await setup([container("aa", "exited")], { pingFails: true })();
    expect(removed).toEqual([]);
    expect(lines.join("")).toMatch(/^\[debug\] stale-containers-not-removed .*down/m);
  });
});
