/**
 * Every process the cell runs: the sidecars of an LRP's codependent action run in each instance
 * beside the app (through the launcher, as Cloud Controller desires them), their output under
 * their own log_source; when one ends, the instance crashes and is restarted as on a cell.
 */
import Docker from "dockerode";
import { describe, expect, it } from "vitest";
import type { DesiredLrpJson } from "../kit/fake-cf/desired-lrp.js";
import { runCli } from "../kit/e2e/cli.js";
import { expectExit } from "../kit/e2e/expectations.js";
import { until } from "../kit/e2e/until.js";
import { uniqueAppName, useRestagedApps } from "../kit/e2e/restaged-app.js";
import { useLaunchRole } from "../kit/e2e/launch-role.js";

const docker = new Docker();
const { labelArgs } = useLaunchRole("launch-processes");
const apps = useRestagedApps({ hello: { app: "hello-shell", appName: uniqueAppName("sidecar") } });
const source = "APP/PROC/WEB/SIDECAR/TICKER";

interface LaunchJson {
  instances: { id: string; state: string; urls: string[]; reason?: string; last_lines: string[] }[];
}

type RunJson = {
  run: { args: string[]; env: { name: string; value: string }[]; log_source: string };
};

/** The LRP with a sidecar as Cloud Controller adds one: the launcher with the sidecar's command. */
function withSidecar(lrp: DesiredLrpJson, command: string): DesiredLrpJson {
  const actions = (lrp.action as { codependent: { actions: RunJson[] } }).codependent.actions;
  const app = actions[0] as RunJson;
  const env = app.run.env.map((v) => (v.name === "MEMORY_LIMIT" ? { ...v, value: "32m" } : v));
  const sidecar = { run: { ...app.run, args: ["app", command, ""], env, log_source: source } };
  actions.splice(1, 0, sidecar);
  return lrp;
}

async function launch(name: string, lrp: DesiredLrpJson, extra: string[] = []) {
  const { hello } = apps();
  const { file } = await hello.writeLrp(name, lrp);
  return runCli("restager", ["launch", file, "--json", ...labelArgs, ...extra], hello.cli());
}

async function logs(id: string): Promise<string> {
  const buffer = await docker.getContainer(id).logs({ stdout: true, stderr: true, follow: false });
  // Multiplexed frames: the payloads are what matter here.
  return buffer.toString("latin1");
}

describe("the codependent processes of a launched instance", () => {
  it("runs a sidecar beside the app, with its own env and log source", async () => {
    const { hello } = apps();
    const lrp = withSidecar(
      hello.lrp(),
      'echo "sidecar up with $MEMORY_LIMIT"; echo "to stderr" >&2; exec sleep 600',
    );
    const run = await launch("sidecar", lrp);
    expectExit(run, 0);
    const [instance] = (JSON.parse(run.stdout) as LaunchJson).instances;
    const id = instance?.id ?? "";
    expect((await fetch(`${instance?.urls[0] ?? ""}/`)).status).toBe(200);
    const text = await until("the sidecar's line", async () => {
      const all = await logs(id);
      return all.includes(`[${source}] to stderr`) ? all : undefined;
    });
    expect(text).toContain(`[${source}] sidecar up with 32m`);
    const top = (await docker.getContainer(id).top({ ps_args: "-o pid,args" })) as {
      Processes: string[][];
    };
    expect(top.Processes.flat().join("\n")).toContain("sleep 600");
    expectExit(await runCli("restager", ["stop", hello.appGuid], hello.cli()), 0);
  });

  it("reports a sidecar's end while starting as the instance's crash, in its own source", async () => {
    const { hello } = apps();
    const run = await launch("sidecar-fails", withSidecar(hello.lrp(), "echo giving up; exit 7"));
    expectExit(run, 1);
    const [instance] = (JSON.parse(run.stdout) as LaunchJson).instances;
    expect(instance?.state).toBe("crashed");
    expect(instance?.reason).toBe(`${source}: Exited with status 7`);
    expect(run.stderr).toContain(`[${source}/0] OUT giving up`);
    expect(run.stderr).toContain(`[${source}/0] OUT Exit status 7`);
    await docker.getContainer(instance?.id ?? "").remove({ force: true });
  });

  it("crashes and restarts the instance when a sidecar exits after launch returned", async () => {
    const { hello } = apps();
    const lrp = withSidecar(hello.lrp(), "sleep 4; exit 0");
    const run = await launch("sidecar-exits", lrp);
    expectExit(run, 0);
    const [instance] = (JSON.parse(run.stdout) as LaunchJson).instances;
    const id = instance?.id ?? "";
    await until("a restart", async () => {
      const info = await docker.getContainer(id).inspect();
      return info.RestartCount >= 1 && info.State.Running ? info : undefined;
    });
    expect(await logs(id)).toContain(`[${source}] Exit status 0`);
    expectExit(await runCli("restager", ["stop", hello.appGuid], hello.cli()), 0);
  });
});
