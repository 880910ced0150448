/**
 * Crash and health semantics of `launch` on the real engine: a crash after launch returned is
 * restarted (Diego's restart calculator, as the engine's restart policy), a failed liveness
 * check after the instance was healthy ends it and it is restarted, readiness checks gate
 * "running", and instances are named as a cell names them (28-character guid = hostname).
 */
import Docker from "dockerode";
import { describe, expect, it } from "vitest";
import { runCli } from "../kit/e2e/cli.js";
import { expectExit } from "../kit/e2e/expectations.js";
import { uniqueAppName, useRestagedApps } from "../kit/e2e/restaged-app.js";
import { useLaunchRole } from "../kit/e2e/launch-role.js";

const docker = new Docker();
const { labelArgs } = useLaunchRole("launch-health");
const apps = useRestagedApps({ hello: { app: "hello-shell", appName: uniqueAppName("health") } });

interface LaunchJson {
  instances: { id: string; guid: string; urls: string[]; ready_after_ms: number | null }[];
}

const www = '"${TMPDIR:-/tmp}/hello-shell-www"';

function httpCheck(path: string, intervalMs = 1000) {
  return { http_check: { port: 8080, path, request_timeout_ms: 1000, interval_ms: intervalMs } };
}

async function launch(name: string, lrp: Record<string, unknown>): Promise<LaunchJson> {
  const { hello } = apps();
  const { file } = await hello.writeLrp(name, lrp);
  const run = await runCli("restager", ["launch", file, "--json", ...labelArgs], hello.cli());
  expectExit(run, 0);
  return JSON.parse(run.stdout) as LaunchJson;
}

async function exec(id: string, script: string): Promise<void> {
  const process = await docker.getContainer(id).exec({
    Cmd: ["/bin/sh", "-c", script],
    User: "vcap",
    AttachStdout: true,
    AttachStderr: true,
  });
  const stream = await process.start({});
  stream.resume();
  await new Promise((resolve) => stream.on("end", resolve));
}

/** Waits until the instance was restarted `count` times and answers again. */
async function restartedAndAnswering(id: string, url: string, count = 1): Promise<number> {
  const until = Date.now() + 40_000;
  for (;;) {
    const info = await docker.getContainer(id).inspect();
    const answers = await fetch(url)
      .then((r) => r.status === 200)
      .catch(() => false);
    if (info.RestartCount >= count && info.State.Running && answers) return info.RestartCount;
    if (Date.now() > until) throw new Error(`not restarted: ${JSON.stringify(info.State)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe("crash and health semantics of launched instances", () => {
  it("restarts an instance that crashes after launch returned; names it like a cell", async () => {
    const { hello } = apps();
    const report = await launch("crash-later", hello.lrp());
    const [instance] = report.instances;
    const id = instance?.id ?? "";
    const info = await docker.getContainer(id).inspect();
    expect(instance?.guid).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{4}$/,
    );
    expect(info.Config.Hostname).toBe(instance?.guid);
    expect(info.HostConfig.RestartPolicy?.Name).toBe("unless-stopped");
    // The app's process ends (TERM to the container's init, as the app's user): a crash.
    await exec(id, "kill -TERM 1");
    expect(await restartedAndAnswering(id, `${instance?.urls[0] ?? ""}/`)).toBeGreaterThanOrEqual(
      1,
    );
    expectExit(await runCli("restager", ["stop", hello.appGuid], hello.cli()), 0);
  });

  it("ends and restarts an instance whose liveness check fails after it was healthy", async () => {
    const { hello } = apps();
    const lrp = hello.lrp({ healthCheck: { type: "none" } });
    lrp.check_definition = { checks: [httpCheck("/")], log_source: "HEALTH_CHECK" };
    const [instance] = (await launch("liveness", lrp)).instances;
    const id = instance?.id ?? "";
    const health = (await docker.getContainer(id).inspect()).Config.Healthcheck;
    expect(health?.Interval).toBe(1_000_000_000);
    expect(health?.Retries).toBe(1);
    // The app stops answering 200 on / (run.sh writes it again when restarted); the launcher
    // set the app's TMPDIR to $HOME/tmp.
    await exec(id, "rm /home/vcap/tmp/hello-shell-www/index.html");
    expect(await restartedAndAnswering(id, `${instance?.urls[0] ?? ""}/`)).toBeGreaterThanOrEqual(
      1,
    );
    expectExit(await runCli("restager", ["stop", hello.appGuid], hello.cli()), 0);
  });

  it("counts an instance running only once its readiness checks pass too", async () => {
    const { hello } = apps();
    const startCommand = `(sleep 2; : >${www}/ready) & exec bash run.sh`;
    const lrp = hello.lrp({ healthCheck: { type: "none" }, startCommand });
    lrp.check_definition = {
      checks: [{ tcp_check: { port: 8080, connect_timeout_ms: 1000 } }],
      readiness_checks: [httpCheck("/ready")],
      log_source: "HEALTH_CHECK",
    };
    const [instance] = (await launch("readiness", lrp)).instances;
    expect(instance?.ready_after_ms).toBeGreaterThanOrEqual(2000);
    expect((await fetch(`${instance?.urls[0] ?? ""}/ready`)).status).toBe(200);
    expectExit(await runCli("restager", ["stop", hello.appGuid], hello.cli()), 0);
  });

  it("has the instance marked live when launch returns, long before Docker's first check", async () => {
    const { hello } = apps();
    const lrp = hello.lrp({ healthCheck: { type: "none" } });
    lrp.check_definition = { checks: [httpCheck("/", 30_000)], log_source: "HEALTH_CHECK" };
    const [instance] = (await launch("live-marker", lrp)).instances;
    const id = instance?.id ?? "";
    // launch checked the app from its side and wrote the marker the check in the container
    // writes, as the app's user (its start script removes it at a restart); Docker's own
    // check comes only after 30 s.
    expect(await output(id, "stat -c %U /tmp/.restager-live")).toBe("vcap");
    expectExit(await runCli("restager", ["stop", hello.appGuid], hello.cli()), 0);
  });
});

/** What a shell line prints in the container, as the app's user, trimmed. */
async function output(id: string, script: string): Promise<string> {
  const process = await docker.getContainer(id).exec({
    Cmd: ["/bin/sh", "-c", script],
    User: "vcap",
    AttachStdout: true,
    AttachStderr: false,
  });
  const stream = await process.start({});
  const chunks: Buffer[] = [];
  stream.on("data", (chunk: Buffer) => chunks.push(chunk));
  await new Promise((resolve) => stream.on("end", resolve));
  // Docker frames: an 8-byte header in front of every chunk of output.
  const frames = Buffer.concat(chunks);
  let text = "";
  for (let at = 0; at + 8 <= frames.length;) {
    const size = frames.readUInt32BE(at + 4);
    text += frames.subarray(at + 8, at + 8 + size).toString("utf8");
    at += 8 + size;
  }
  return text.trim();
}
