/**
 * `launch` runs what the desired LRP names: the droplet of its setup (checked against its
 * sha256) and the lifecycle of its cached dependencies. On a machine where the app was never
 * restaged (its images removed, an empty download cache), launch downloads both from the fake
 * Cloud Foundry, builds the image with the image builder and runs it; a second launch reuses
 * that image; `--image` with another droplet warns.
 */
import { createHash, randomUUID } from "node:crypto";
import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import Docker from "dockerode";
import { create as createTar } from "tar";
import { describe, expect, it } from "vitest";
import { listRestagerContainers } from "../kit/docker-leaks.js";
import { pipeCli, runCli } from "../kit/e2e/cli.js";
import { expectExit } from "../kit/e2e/expectations.js";
import { uniqueAppName, useRestagedApps } from "../kit/e2e/restaged-app.js";
import { useLaunchRole } from "../kit/e2e/launch-role.js";

const docker = new Docker();
const { role, labelArgs } = useLaunchRole("launch-droplet");
const apps = useRestagedApps({ hello: { app: "hello-shell", appName: uniqueAppName("fresh") } });

interface LaunchJson {
  image: string;
  instances: { id: string; state: string; urls: string[] }[];
}

async function removeAppImages(appGuid: string): Promise<void> {
  const images = await docker.listImages({
    filters: { label: [`io.restager.app-guid=${appGuid}`] },
  });
  for (const image of images) await docker.getImage(image.Id).remove({ force: true });
}

describe("launch runs the LRP's own droplet", () => {
  it("on a machine that never restaged: downloads droplet and lifecycle, builds, answers; then reuses the image", async () => {
    const { hello } = apps();
    const staged = await docker.getImage(hello.image.id).inspect();
    await removeAppImages(hello.appGuid);
    const cacheDir = await mkdtemp(join(hello.e2e.dir, "fresh-cache-"));
    const lrp = hello.lrp({ dropletSha256: hello.dropletSha256 });
    const { logFile } = await hello.writeLrp("fresh", lrp);
    const cf = hello.world.cf;
    const dropletGets = () => cf.requestsTo("cloudController", "/internal/v2/droplets/").length;
    const lifecycleGets = () => cf.requestsTo("fileServer", "/v1/static/").length;
    const [droplets, lifecycles] = [dropletGets(), lifecycleGets()];
    const launchArgs = ["launch", "--json", "--cache-dir", cacheDir, ...labelArgs];
    const { from, to } = await pipeCli(
      { bin: "launch-req", args: ["--log", logFile] },
      { bin: "restager", args: launchArgs },
      hello.cli(),
    );
    expectExit(from, 0);
    expectExit(to, 0);
    expect(dropletGets()).toBe(droplets + 1);
    expect(lifecycleGets()).toBe(lifecycles + 1);
    const tag = `restager/${hello.appName}:${hello.image.droplet_md5.slice(0, 12)}`;
    expect(to.stderr).toContain(`Built ${tag} from the LRP's droplet`);
    const report = JSON.parse(to.stdout) as LaunchJson;
    expect(report.image).toBe(tag);
    const [instance] = report.instances;
    const response = await fetch(`${instance?.urls[0] ?? ""}/`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Hello from restager (hello-shell)");
    const built = await docker.getImage(tag).inspect();
    expect(built.Config.Labels?.["io.restager.droplet-sha256"]).toBe(hello.dropletSha256);
    // Same droplet, lifecycle and stack: the layers restage's image had (labels differ: no task).
    expect(built.RootFS.Layers).toEqual(staged.RootFS.Layers);

    const again = await runCli("restager", [...launchArgs, "--instances", "1"], {
      ...hello.cli(),
      input: JSON.stringify(lrp),
    });
    expectExit(again, 0);
    expect(again.stderr).not.toContain("Built ");
    expect(dropletGets()).toBe(droplets + 1);
    expect((JSON.parse(again.stdout) as LaunchJson).image).toBe(tag);
    expectExit(await runCli("restager", ["stop", hello.appGuid], hello.cli()), 0);
  });

  it("--image with another droplet runs it, with a warning naming both droplets", async () => {
    const { hello } = apps();
    const lrp = hello.lrp({ dropletSha256: "ab".repeat(32) });
    const { file } = await hello.writeLrp("other", lrp);
    const stack = "restager/cflinuxfs4:latest";
    const run = await runCli(
      "restager",
      ["launch", file, "--dry-run", "--image", stack, ...labelArgs],
      hello.cli(),
    );
    expectExit(run, 0);
    expect(run.stderr).toContain(
      `--image ${stack} holds no known droplet, not the LRP's droplet sha256 abababababab: running it anyway`,
    );
  });

  it("replaces running instances of an older droplet instance by instance", async () => {
    const { hello } = apps();
    const v1 = await hello.writeLrp(
      "v1",
      hello.lrp({ instances: 2, dropletSha256: hello.dropletSha256 }),
    );
    const first = await runCli(
      "restager",
      ["launch", v1.file, "--json", ...labelArgs],
      hello.cli(),
    );
    expectExit(first, 0);
    const oldIds = (JSON.parse(first.stdout) as LaunchJson).instances.map((i) => i.id);

    const droplet = await secondDroplet(hello.e2e.dir);
    const guid = randomUUID();
    await hello.world.cf.blobstore.add(`cc-droplets/${guid}`, droplet.path);
    const dropletUrl = `${hello.world.cf.endpoints().cloudController}/internal/v2/droplets/${guid}/${droplet.sha256}/download`;
    const lrp2 = hello.lrp({ instances: 2, dropletUrl, dropletSha256: droplet.sha256 });
    const v2 = await hello.writeLrp("v2", lrp2);
    const second = await runCli(
      "restager",
      ["launch", v2.file, "--json", ...labelArgs],
      hello.cli(),
    );
    expectExit(second, 0);
    expect(second.stderr).toMatch(/Replaced instance #0 \(.*\) holding an older droplet/);
    expect(second.stderr).toMatch(/Replaced instance #1 \(.*\) holding an older droplet/);
    const remaining = await listRestagerContainers(`${role}=1`);
    expect(remaining.map((c) => c.id).filter((id) => oldIds.includes(id))).toEqual([]);
    for (const instance of (JSON.parse(second.stdout) as LaunchJson).instances) {
      const response = await fetch(`${instance.urls[0] ?? ""}/`);
      expect(await response.text()).toContain("Hello from the second droplet");
    }
    expectExit(await runCli("restager", ["stop", hello.appGuid], hello.cli()), 0);
  });
});

/** A droplet as staging leaves one: app/ and staging_info.yml, as a .tgz. */
async function secondDroplet(dir: string): Promise<{ path: string; sha256: string }> {
  const root = join(dir, "droplet-v2");
  await mkdir(join(root, "app"), { recursive: true });
  await writeFile(
    join(root, "app", "run.sh"),
    '#!/bin/bash\nset -e\nmkdir -p /tmp/www\necho "Hello from the second droplet" >/tmp/www/index.html\nexec busybox httpd -f -p "$PORT" -h /tmp/www\n',
    { mode: 0o755 },
  );
  await writeFile(
    join(root, "staging_info.yml"),
    '{"detected_buildpack":"","start_command":"bash run.sh"}\n',
  );
  const path = join(dir, "droplet-v2.tgz");
  await createTar({ gzip: true, file: path, cwd: root, portable: true }, [
    "./app",
    "./staging_info.yml",
  ]);
  const sha256 = createHash("sha256")
    .update(await readFile(path))
    .digest("hex");
  return { path, sha256 };
}
