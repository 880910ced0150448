import { describe, expect, it } from "vitest";
import {
  CancelledError,
  ExitCode,
  InvalidInputError,
  UnavailableError,
} from "../../../src/errors.js";
import { engineMessage, toRestagerError } from "../../../src/container/docker-errors.js";

const where = "unix:///var/run/docker.sock";

function httpError(statusCode: number, message: string, json: unknown = null) {
  return Object.assign(new Error(`(HTTP code ${statusCode}) server error - ${message} `), {
    statusCode,
    json,
  });
}

describe("toRestagerError", () => {
  it("turns socket errors into UnavailableError with the engine address and a hint", () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
    const error = toRestagerError(refused, { what: "ping", where });
    expect(error).toBeInstanceOf(UnavailableError);
    expect(error.message).toBe(`Cannot reach the Docker engine at ${where}`);
    expect(error.hint).toContain("bash scripts/setup-machine.sh");
    expect(error.cause).toBe(refused);
  });

  it("gives a permission hint for EACCES", () => {
    const denied = Object.assign(new Error("EACCES"), { code: "EACCES" });
    expect(toRestagerError(denied, { what: "ping", where }).hint).toContain("Permission denied");
  });

  it("quotes the engine's words for HTTP failures", () => {
    const error = toRestagerError(httpError(500, "x", { message: "OCI runtime failed\n" }), {
      what: "start a container",
      where,
    });
    expect(error.message).toBe("Docker failed to start a container (HTTP 500): OCI runtime failed");
    expect(error.exitCode).toBe(ExitCode.unavailable);
  });

  it("names a full engine disk as a write failure (exit 73), with what to free", () => {
    const full = new Error(
      "Error processing tar file(exit status 1): write /droplet/layer.tar: no space left on device",
    );
    const error = toRestagerError(full, { what: "load the image", where });
    expect(error.message).toBe("The Docker engine ran out of disk space trying to load the image");
    expect(error.exitCode).toBe(ExitCode.cannotWrite);
    expect(error.hint).toContain("docker system df");
  });

  it("keeps RestagerErrors and prefers the abort reason once cancelled", () => {
    const own = new InvalidInputError("bad");
    expect(toRestagerError(own, { what: "x", where })).toBe(own);
    const controller = new AbortController();
    const reason = new CancelledError("Interrupted");
    controller.abort(reason);
    expect(
      toRestagerError(new Error("aborted"), { what: "x", where, signal: controller.signal }),
    ).toBe(reason);
    const foreign = new AbortController();
    foreign.abort("timeout");
    const wrapped = toRestagerError(new Error("aborted"), {
      what: "x",
      where,
      signal: foreign.signal,
    });
    expect(wrapped).toBeInstanceOf(CancelledError);
  });
});

describe("engineMessage", () => {
  it("reads the engine's words from a streamed error message", () => {
    expect(engineMessage(httpError(404, "Could not find the file /x in container 1"))).toBe(
      "Could not find the file /x in container 1",
    );
  });
});
