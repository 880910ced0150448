import { homedir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { UsageError } from "../../../src/errors.js";
import { resolveDockerHost } from "../../../src/container/docker-host.js";

const none = () => false;

describe("resolveDockerHost", () => {
  it("uses the system socket by default", () => {
    expect(resolveDockerHost({}, none)).toEqual({
      where: "unix:///var/run/docker.sock",
      options: { socketPath: "/var/run/docker.sock", host: undefined },
    });
  });

  it("prefers Docker Desktop's per-user socket when it exists", () => {
    const user = join(homedir(), ".docker", "run", "docker.sock");
    expect(resolveDockerHost({}, (p) => p === user).options.socketPath).toBe(user);
  });

  it("reads unix:// and tcp:// addresses", () => {
    expect(resolveDockerHost({ DOCKER_HOST: "unix:///run/x.sock" }, none).where).toBe(
      "unix:///run/x.sock",
    );
    expect(resolveDockerHost({ DOCKER_HOST: "tcp://10.0.0.5:2375" }, none)).toEqual({
      where: "tcp://10.0.0.5:2375",
      options: { protocol: "http", host: "10.0.0.5", port: "2375" },
    });
    expect(resolveDockerHost({ DOCKER_HOST: "localhost:1234" }, none).where).toBe(
      "tcp://localhost:1234",
    );
  });

  it("switches to https with DOCKER_TLS_VERIFY or port 2376", () => {
    const env = { DOCKER_HOST: "tcp://docker.example:2376" };
    expect(resolveDockerHost(env, none).options.protocol).toBe("https");
    const verify = { DOCKER_HOST: "tcp://docker.example:2375", DOCKER_TLS_VERIFY: "1" };
    expect(resolveDockerHost(verify, none).where).toBe("https://docker.example:2375");
  });

  it("rejects an address it cannot read, and unreadable TLS certificates", () => {
    expect(() => resolveDockerHost({ DOCKER_HOST: "tcp://[bad" }, none)).toThrow(UsageError);
    const certs = { DOCKER_HOST: "tcp://h:2376", DOCKER_CERT_PATH: "/nonexistent/certs" };
    expect(() => resolveDockerHost(certs, none)).toThrow("Cannot read the Docker TLS");
  });
});
