import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { deferFunctionModule, loadDockerode } from "../../../src/container/dockerode-module.js";

const require = createRequire(import.meta.url);
const counter = globalThis as { deferredLoads?: number };

describe("deferFunctionModule", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "restager-defer-"));
    counter.deferredLoads = 0;
    // A part that exports one function, and a module that requires it at load (as dockerode
    // requires its session support).
    await writeFile(
      join(dir, "part.js"),
      "globalThis.deferredLoads++;\nmodule.exports = function (a) { return [this && this.tag, a * 2]; };\n",
    );
    await writeFile(
      join(dir, "user.js"),
      "const part = require('./part.js');\nmodule.exports = { tag: 't', run: part };\n",
    );
  });
  afterEach(async () => {
    for (const file of ["part.js", "user.js"]) delete require.cache[join(dir, file)];
    await rm(dir, { recursive: true, force: true });
  });

  it("loads the part at its first call, once, and forwards calls with their this", () => {
    deferFunctionModule(join(dir, "part.js"));
    const user = require(join(dir, "user.js")) as { run: (a: number) => unknown };
    expect(counter.deferredLoads).toBe(0);
    expect(user.run(2)).toEqual(["t", 4]);
    expect(user.run(5)).toEqual(["t", 10]);
    expect(counter.deferredLoads).toBe(1);
  });

  it("defers a part that exports an object of functions (tar-fs: pack, extract) by name", async () => {
    await writeFile(
      join(dir, "part.js"),
      "globalThis.deferredLoads++;\nexports.pack = (a) => ['pack', a];\nexports.extract = () => 'x';\n",
    );
    deferFunctionModule(join(dir, "part.js"), ["pack", "extract"]);
    const part = require(join(dir, "part.js")) as { pack: (a: number) => unknown };
    expect(counter.deferredLoads).toBe(0);
    expect(part.pack(3)).toEqual(["pack", 3]);
    expect(counter.deferredLoads).toBe(1);
  });

  it("leaves a part that is loaded already as it is", () => {
    const loaded = require(join(dir, "part.js")) as unknown;
    deferFunctionModule(join(dir, "part.js"));
    expect(require(join(dir, "part.js"))).toBe(loaded);
    expect(counter.deferredLoads).toBe(1);
  });
});

describe("loadDockerode", () => {
  it("still reaches an ssh:// engine through the deferred SSH transport", async () => {
    // A TCP server that closes every connection: the SSH handshake fails, which shows the
    // transport was loaded and used (a broken deferral would throw a TypeError instead).
    const server = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const Dockerode = loadDockerode();
      const docker = new Dockerode({ protocol: "ssh", host: "127.0.0.1", port, username: "u" });
      const error = await docker.version().then(
        () => undefined,
        (failure: unknown) => failure,
      );
      expect(error).toBeInstanceOf(Error);
      expect(error).not.toBeInstanceOf(TypeError);
    } finally {
      server.close();
    }
  });
});
