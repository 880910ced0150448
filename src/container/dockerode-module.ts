/**
 * dockerode, loaded with three of its parts deferred to their first use. dockerode requires its
 * BuildKit session support (gRPC and protobuf, ~130 modules) and its build-context packer
 * (tar-fs and tar-stream), and docker-modem its SSH transport (ssh2 and a native addon), at load
 * time, though restager never builds with BuildKit or a context directory and only a
 * `DOCKER_HOST=ssh://…` uses SSH: together about 0.2 s of CPU on every command that talks to
 * Docker. Each part exports functions called per use, so each is replaced in the module cache,
 * before dockerode loads, by functions that load the real part on their first call. When a
 * dockerode release moves a file, that part is not deferred and loads as it is.
 */
import { createRequire, Module } from "node:module";
import { dirname } from "node:path";
import type DockerClass from "dockerode";

const require = createRequire(import.meta.url);

/**
 * [package, file inside it, the functions it exports]: no names when the export is the one
 * function itself.
 */
const deferredParts: readonly (readonly [string, string, readonly string[]])[] = [
  ["dockerode", "lib/session.js", []],
  ["docker-modem", "lib/ssh.js", []],
  ["tar-fs", "index.js", ["pack", "extract"]],
];

export function loadDockerode(): typeof DockerClass {
  for (const [pkg, file, names] of deferredParts) deferPart(pkg, file, names);
  return require("dockerode") as typeof DockerClass;
}

function deferPart(pkg: string, file: string, names: readonly string[]): void {
  let path: string;
  try {
    // Dependencies of dockerode resolve from dockerode's folder.
    const from = pkg === "dockerode" ? undefined : [dirname(require.resolve("dockerode"))];
    path = require.resolve(`${pkg}/${file}`, from ? { paths: from } : undefined);
  } catch {
    return;
  }
  deferFunctionModule(path, names);
}

/**
 * Puts in the module cache, for the CommonJS file at `path` whose export is one function (no
 * `names`) or an object of the functions `names`, functions that load the file at their first
 * call and forward every call to it. Nothing when the file is loaded already.
 */
export function deferFunctionModule(path: string, names: readonly string[] = []): void {
  if (require.cache[path]) return;
  const stub = new Module(path);
  stub.filename = path;
  stub.loaded = true;
  let real: unknown;
  const load = () => {
    if (real === undefined) {
      // The stub leaves the cache, so that this require loads the real file.
      delete require.cache[path];
      real = require(path);
    }
    return real as Record<string, (...args: unknown[]) => unknown> &
      ((...args: unknown[]) => unknown);
  };
  stub.exports =
    names.length === 0
      ? function deferred(this: unknown, ...args: unknown[]): unknown {
          return load().apply(this, args);
        }
      : Object.fromEntries(
          names.map((name) => [
            name,
            function deferred(this: unknown, ...args: unknown[]): unknown {
              return load()[name]?.apply(this, args);
            },
          ]),
        );
  require.cache[path] = stub;
}
