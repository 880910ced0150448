import { mkdtemp, rm } from "node:fs/promises";
import net, { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import util from "node:util";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { DockerConnection } from "../../../src/container/docker-connection.js";
import { DockerRuntime } from "../../../src/container/docker-runtime.js";
import { UnavailableError } from "../../../src/errors.js";

/**
 * An engine on a unix socket that answers every `/_ping` on kept-alive connections, and that can
 * stop listening while its open connections go on answering: what dockerd does on SIGTERM while
 * it stops its containers.
 */
function pingServer(path: string): Promise<{ server: Server; sockets: Set<Socket> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("data", (chunk) => {
      const requests = chunk.toString("latin1").split("\r\n\r\n").length - 1;
      for (let i = 0; i < requests; i++) {
        socket.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nOK");
      }
    });
  });
  return new Promise((resolve) => server.listen(path, () => resolve({ server, sockets })));
}

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("DockerRuntime.ping", () => {
  it("asks on a new connection, so an engine that stopped listening is unreachable", async () => {
    dir = await mkdtemp(join(tmpdir(), "docker-ping-"));
    const path = join(dir, "docker.sock");
    const { server, sockets } = await pingServer(path);
    // The shared client's kept-alive connection, as other engine calls leave one open.
    const connection = new DockerConnection({ DOCKER_HOST: `unix://${path}` });
    await connection.docker.ping();
    expect(sockets.size).toBe(1);
    server.close();
    // The open connection still answers; a ping must not take that for the engine.
    await connection.docker.ping();
    const runtime = new DockerRuntime({ connection });
    const error = await runtime.ping().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnavailableError);
    expect((error as UnavailableError).message).toBe(
      `Cannot reach the Docker engine at unix://${path}`,
    );
    for (const socket of sockets) socket.destroy();
  });
});

describe("DockerConnection on a unix socket", () => {
  it("works out no TLS server name for its requests (Node's first IP test is costly)", async () => {
    dir = await mkdtemp(join(tmpdir(), "docker-ping-"));
    const path = join(dir, "docker.sock");
    const { server, sockets } = await pingServer(path);
    const isIp = vi.spyOn(net, "isIP");
    try {
      const connection = new DockerConnection({ DOCKER_HOST: `unix://${path}` });
      await connection.docker.ping();
      await new DockerRuntime({ connection }).ping();
      expect(isIp).not.toHaveBeenCalled();
    } finally {
      isIp.mockRestore();
      server.close();
      for (const socket of sockets) socket.destroy();
    }
  });

  it("keeps its kept-alive sockets out of docker-modem's debug formatting, done at every request", async () => {
    dir = await mkdtemp(join(tmpdir(), "docker-ping-"));
    const path = join(dir, "docker.sock");
    const { server, sockets } = await pingServer(path);
    // docker-modem formats every request's options with every hidden property at any depth,
    // debug log on or off; an agent holding a socket made that ~9 KB (2–3 ms of CPU) a request.
    const formatted: number[] = [];
    const realInspect = util.inspect;
    const spy = vi.spyOn(util, "inspect").mockImplementation(((
      value: unknown,
      options?: util.InspectOptions,
    ) => {
      const text = realInspect(value, options);
      if (options?.showHidden === true) formatted.push(text.length);
      return text;
    }) as typeof util.inspect);
    try {
      const connection = new DockerConnection({ DOCKER_HOST: `unix://${path}` });
      await connection.docker.ping();
      await connection.docker.ping(); // on the kept-alive socket, which the agent holds now
    } finally {
      spy.mockRestore();
      server.close();
      for (const socket of sockets) socket.destroy();
    }
    expect(formatted).toHaveLength(2);
    for (const length of formatted) expect(length).toBeLessThan(1_000);
  });
});
