/**
 * dockerode, loaded with two of its parts deferred to their first use. dockerode requires its
 * BuildKit session support (gRPC and protobuf, ~130 modules) and docker-modem its SSH transport
 * (ssh2 and a native addon) at load time, though restager never builds with BuildKit and only a
 * `DOCKER_HOST=ssh://…` uses SSH: together about 0.2 s of CPU on every command that talks to
 * Docker. Both parts export a single function called per use, so each is replaced in the module
 * cache, before dockerode loads, by a function that loads the real one on its first call. When a
 * dockerode release moves either file, nothing is deferred and dockerode loads as it is.
 */
import { createRequire, Module } from "node:module";
import { dirname } from "node:path";
import type DockerClass from "dockerode";

const require = createRequire(import.meta.url);

/** [package, file inside it]: both export one function, called when the part is used. */
const deferredParts: readonly (readonly [string, string])[] = [
  ["dockerode", "lib/session.js"],
  ["docker-modem", "lib/ssh.js"],
];

export function loadDockerode(): typeof DockerClass {
  for (const [pkg, file] of deferredParts) deferPart(pkg, file);
  return require("dockerode") as typeof DockerClass;
}

function deferPart(pkg: string, file: string): void {
  let path: string;
  try {
    // docker-modem is dockerode's dependency: resolve it from dockerode's folder.
    const from = pkg === "dockerode" ? undefined : [dirname(require.resolve("dockerode"))];
    path = require.resolve(`${pkg}/${file}`, from ? { paths: from } : undefined);
  } catch {
    return;
  }
  deferFunctionModule(path);
}

/**
 * Puts in the module cache, for the CommonJS file at `path` whose export is one function, a
 * function that loads the file at its first call and forwards every call to it. Nothing when
 * the file is loaded already.
 */
export function deferFunctionModule(path: string): void {
  if (require.cache[path]) return;
  const stub = new Module(path);
  stub.filename = path;
  stub.loaded = true;
  let real: ((...args: unknown[]) => unknown) | undefined;
  stub.exports = function deferred(this: unknown, ...args: unknown[]): unknown {
    if (!real) {
      // The stub leaves the cache, so that this require loads the real file.
      delete require.cache[path];
      real = require(path) as (...args: unknown[]) => unknown;
    }
    return real.apply(this, args);
  };
  require.cache[path] = stub;
}
