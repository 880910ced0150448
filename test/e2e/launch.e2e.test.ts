/**
 * `launch`, `ps` and `stop` end to end: the built CLI against the real engine, running the
 * images `restage` built from fixture apps (staged once for the file by restaged-app.ts), found
 * by their io.restager.app-guid label as a user's `launch-req | launch` finds them.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import Docker from "dockerode";
import { describe, expect, it } from "vitest";
import { listRestagerContainers, removeLabelledContainers } from "../kit/docker-leaks.js";
import { desiredLrpLogLine } from "../kit/fake-cf/log-lines.js";
import { expectInstanceEnv, parseEnvText } from "../kit/launch-env.js";
import { pipeCli, runCli, startCli } from "../kit/e2e/cli.js";
import { expectExit } from "../kit/e2e/expectations.js";
import { uniqueAppName, useRestagedApps } from "../kit/e2e/restaged-app.js";
import { useLaunchRole } from "../kit/e2e/launch-role.js";

const docker = new Docker();
const { role, labelArgs } = useLaunchRole("launch-e2e");
const apps = useRestagedApps({
  hello: { app: "hello-shell", appName: uniqueAppName("hello") },
  web: { app: "hello-static", appName: uniqueAppName("web") },
  crash: { app: "crash", appName: uniqueAppName("crash") },
});

interface LaunchJson {
  image: string;
  instances: {
    index: number;
    guid: string;
    id: string;
    state: string;
    urls: string[];
    ports: { container: number; host: number }[];
    ready_after_ms: number | null;
  }[];
}

/** Every test stops what it launched: anything left with the test's label is a leak. */
async function text(url: string): Promise<string> {
  const response = await fetch(url);
  expect(response.status, url).toBe(200);
  return response.text();
}

describe("restager launch, on images built by restage", () => {
  it("launch-req | launch: the newest image by label, two instances with Diego's env, listed and stopped", async () => {
    const { hello } = apps();
    const lrp = hello.lrp({
      instances: 2,
      healthCheck: { type: "http", endpoint: "/" },
      env: [
        { name: "HTTPS_PROXY", value: "" },
        { name: "http_proxy", value: "" },
        { name: "no_proxy", value: "localhost,.internal" },
        { name: "FAVOURITE", value: "a b 'c' $HOME" },
      ],
    });
    const { logFile } = await hello.writeLrp("hello", lrp);
    const envFile = join(hello.e2e.dir, "app.env");
    await writeFile(envFile, "# from a file\nFROM_FILE=1\nONLY_IN_FILE=x y\n");
    const userArgs = ["--env-file", envFile, "--env", "FROM_FILE=2", "--env", "EXTRA=z"];
    const hostProxy = { http_proxy: "http://proxy.invalid:3128", HTTPS_PROXY: "", https_proxy: "" };
    const { from, to } = await pipeCli(
      { bin: "launch-req", args: ["--log", logFile] },
      { bin: "restager", args: ["launch", "--json", ...userArgs, ...labelArgs] },
      hello.cli({ env: { ...hostProxy, HTTP_PROXY: "" } }),
    );
    expectExit(from, 0);
    expectExit(to, 0);
    expect(to.stderr).toContain(`${hello.appName}: 2 of 2 instances running`);
    expect(to.stderr).toContain("HTTPS_PROXY was recorded empty and is left out");
    expect(to.stderr).toContain("http_proxy was recorded empty; using restager's own value");
    expect(to.stderr).toContain("disk_mb (1024 MB) is not enforced");
    const report = JSON.parse(to.stdout) as LaunchJson;
    expect(hello.image.tags).toContain(report.image);
    expect(report.instances.map((i) => [i.index, i.state])).toEqual([
      [0, "running"],
      [1, "running"],
    ]);
    for (const instance of report.instances) {
      const [url = ""] = instance.urls;
      expect(await text(`${url}/`)).toContain("Hello from restager (hello-shell)");
      const info = await docker.getContainer(instance.id).inspect();
      expect(info.Image).toBe(hello.image.id);
      const env = parseEnvText(await text(`${url}/env.txt`));
      const bridge = info.NetworkSettings.Networks.bridge;
      expectInstanceEnv(env, lrp, {
        index: instance.index,
        hostPort: instance.ports[0]?.host ?? 0,
        hostIp: bridge?.Gateway ?? "",
        internalIp: bridge?.IPAddress ?? "",
        hostProxy,
        cell: true,
        userEnv: [
          { name: "FROM_FILE", value: "1" },
          { name: "ONLY_IN_FILE", value: "x y" },
          { name: "FROM_FILE", value: "2" },
          { name: "EXTRA", value: "z" },
        ],
      });
      expect(env.get("INSTANCE_GUID")).toBe(instance.guid);
    }

    const ps = await runCli("restager", ["ps", "--json"], hello.cli());
    expectExit(ps, 0);
    const listed = (JSON.parse(ps.stdout) as { guid: string; instances: { id: string }[] }[]).find(
      (a) => a.guid === hello.appGuid,
    );
    expect(listed?.instances.map((i) => i.id).sort()).toEqual(
      report.instances.map((i) => i.id).sort(),
    );
    const stopped = await runCli("restager", ["stop", hello.appName], hello.cli());
    expectExit(stopped, 0);
    expect(stopped.stderr).toContain(`Stopped and removed 2 container(s) of ${hello.appName}`);
    expect(await listRestagerContainers(`${role}=1`)).toEqual([]);
    const again = await runCli("restager", ["stop", hello.appName], hello.cli());
    expectExit(again, 66);
    expect(again.stderr).toContain("restager ps");
  });

  it("answers on every published port of every instance, within the LRP's limits", async () => {
    const { web } = apps();
    const root = "/home/vcap/app/public";
    const lrp = web.lrp({
      instances: 2,
      ports: [8080, 9090],
      startCommand: `busybox httpd -p 9090 -h ${root} && exec busybox httpd -f -p $PORT -h ${root}`,
    });
    const { file } = await web.writeLrp("web", lrp);
    const launched = await runCli("restager", ["launch", file, "--json", ...labelArgs], web.cli());
    expectExit(launched, 0);
    const report = JSON.parse(launched.stdout) as LaunchJson;
    expect(report.instances).toHaveLength(2);
    for (const instance of report.instances) {
      expect(instance.ports.map((p) => p.container)).toEqual([8080, 9090]);
      for (const url of instance.urls)
        expect(await text(`${url}/`)).toContain("Hello from restager");
      const { HostConfig: host } = await docker.getContainer(instance.id).inspect();
      expect(host.Memory).toBe(128 * 1024 * 1024);
      expect(host.Ulimits).toEqual([{ Name: "nofile", Soft: 16384, Hard: 16384 }]);
    }
    expect(launched.stdout).not.toMatch(/no published ports/);
    expectExit(await runCli("restager", ["stop", web.appGuid], web.cli()), 0);
  });

  it("reports a crashing app as crashed with its last lines, keeps it for docker logs, exits 1", async () => {
    const { crash } = apps();
    const { file } = await crash.writeLrp("crash", crash.lrp());
    const launched = await runCli("restager", ["launch", file, ...labelArgs], crash.cli());
    expectExit(launched, 1);
    expect(launched.stdout).toMatch(/^#0 crashed /m);
    expect(launched.stderr).toContain("Instance 0 crashed: APP: Exited with status 1");
    expect(launched.stderr).toContain("[APP/0] ERR crash: cannot start, giving up");
    expect(launched.stderr).toContain("[APP/0] OUT crash: starting up");
    const kept = await listRestagerContainers(`${role}=1`);
    expect(kept.map((c) => c.state)).toEqual(["exited"]);
    const stopped = await runCli("restager", ["stop", crash.appGuid], crash.cli());
    expectExit(stopped, 0);
    expect(stopped.stderr).toContain("Stopped and removed 1 container(s)");
  });

  it("gates readiness on the health check: late but healthy runs, never healthy crashes", async () => {
    const { hello } = apps();
    const http = { type: "http", endpoint: "/" } as const;
    const late = await hello.writeLrp(
      "late",
      hello.lrp({ startCommand: "sleep 2 && bash run.sh", healthCheck: http }),
    );
    const never = await hello.writeLrp(
      "never",
      hello.lrp({ healthCheck: { type: "http", endpoint: "/missing" } }),
    );
    const [ready, unhealthy] = await Promise.all([
      runCli("restager", ["launch", late.file, "--json", ...labelArgs], hello.cli()),
      // Long enough for the app to listen (and answer 404) on a loaded CI machine.
      runCli("restager", ["launch", never.file, "--start-timeout", "5", ...labelArgs], hello.cli()),
    ]);
    expectExit(ready, 0);
    const [instance] = (JSON.parse(ready.stdout) as LaunchJson).instances;
    expect(instance?.ready_after_ms).toBeGreaterThanOrEqual(2000);
    expect(await text(`${instance?.urls[0]}/`)).toContain("Hello from restager");
    expectExit(unhealthy, 1);
    expect(unhealthy.stderr).toMatch(/Instance 0 crashed: Instance never healthy after 5s: .*404/);
    expect(unhealthy.durationMs).toBeGreaterThanOrEqual(5000);
    const stopped = await runCli("restager", ["stop", hello.appName], hello.cli());
    expect(stopped.stderr).toContain("Stopped and removed 2 container(s)");
  });

  it("reads lager lines from stdin and, attached, streams logs until Ctrl-C, then removes the instances", async () => {
    const { hello } = apps();
    const running = startCli("restager", ["launch", "--attach", ...labelArgs], {
      ...hello.cli(),
      input: `${desiredLrpLogLine(hello.lrp())}\n`,
    });
    await running.waitForStderr(/press Ctrl-C/);
    expect(await listRestagerContainers(`${role}=1`)).toHaveLength(1);
    running.kill("SIGINT");
    const result = await running.result;
    expectExit(result, 0);
    expect(result.stdout).toContain("[APP/0] OUT hello-shell: serving on port 8080");
    expect(result.stderr).toContain("Received SIGINT: stopping and removing the instances");
  });

  it("attached, stops every instance within 10 s of a SIGKILL of restager, with no other command", async () => {
    const { hello } = apps();
    const running = startCli("restager", ["launch", "--attach", ...labelArgs], {
      ...hello.cli(),
      input: `${desiredLrpLogLine(hello.lrp({ instances: 2 }))}\n`,
    });
    await running.waitForStderr(/press Ctrl-C/);
    const launched = await listRestagerContainers(`${role}=1`);
    expect(launched.map((c) => c.state)).toEqual(["running", "running"]);
    running.kill("SIGKILL");
    expect((await running.result).signal).toBe("SIGKILL");
    const deadline = Date.now() + 10_000;
    let up = launched;
    while (up.length > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      up = (await listRestagerContainers(`${role}=1`)).filter((c) => c.state === "running");
    }
    expect(up).toEqual([]);
    // Stopped, never restarted (a bound instance has no restart policy); kept for its logs.
    const after = await listRestagerContainers(`${role}=1`);
    expect(after.map((c) => c.state)).toEqual(["exited", "exited"]);
    await removeLabelledContainers(role, "1");
  });

  it("detached (the default), leaves the instances running when restager is gone", async () => {
    const { hello } = apps();
    const { logFile } = await hello.writeLrp("detached", hello.lrp());
    const { from, to } = await pipeCli(
      { bin: "launch-req", args: ["--log", logFile] },
      { bin: "restager", args: ["launch", ...labelArgs] },
      hello.cli(),
    );
    expectExit(from, 0);
    expectExit(to, 0);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const left = await listRestagerContainers(`${role}=1`);
    expect(left.map((c) => c.state)).toEqual(["running"]);
    await removeLabelledContainers(role, "1");
  });
});
