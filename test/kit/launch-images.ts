/**
 * Launcher images for `launch` tests, built the way restage's image builder lays them out
 * (labels io.restager.*, User vcap, WorkingDir /home/vcap, Entrypoint launcher app, Cmd
 * [web command, ""], Env PORT=8080, lifecycle at /tmp/lifecycle, droplet in /home/vcap): a
 * fixture app is staged with the fixture builder in a stack container, then its droplet and the
 * lifecycle go into a second container, which is committed.
 */
import { createHash } from "node:crypto";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import Docker from "dockerode";
import { Header } from "tar";
import {
  buildTar,
  buildpackKey,
  fixturesDir,
  lifecycleEntries,
  md5Hex,
  readTree,
  xxh64Hex,
} from "./fixture-blobs.js";

export const stackImage = "restager/stack:bookworm";
const VCAP = 2000;

export interface LaunchImageOptions {
  /** Fixture app folder under fixtures/apps. */
  app: string;
  /** Fixture buildpacks, in order; the last one builds. */
  buildpacks: string[];
  skipDetect: boolean;
  appGuid: string;
  appName: string;
  /** `repo:tag` of the committed image. */
  tag: string;
  /** Extra labels on the staging containers and the image (e.g. io.restager.test-run). */
  labels: Record<string, string>;
}

export async function buildLaunchImage(options: LaunchImageOptions): Promise<string> {
  const docker = new Docker();
  const { droplet, result } = await stageApp(docker, options);
  const processTypes =
    (JSON.parse(result) as { process_types?: Record<string, string> }).process_types ?? {};
  const container = await docker.createContainer({
    Image: stackImage,
    User: "vcap",
    WorkingDir: "/home/vcap",
    Entrypoint: ["/tmp/lifecycle/launcher", "app"],
    Cmd: [processTypes.web ?? "", ""],
    Env: ["PORT=8080"],
    Labels: {
      ...options.labels,
      "io.restager.managed": "true",
      "io.restager.app-guid": options.appGuid,
      "io.restager.app-name": options.appName,
      "io.restager.droplet-md5": md5Hex(droplet),
      "io.restager.droplet-sha256": createHash("sha256").update(droplet).digest("hex"),
      "io.restager.stack": "cflinuxfs4",
      "io.restager.start-command": processTypes.web ?? "",
      "io.restager.process-types": JSON.stringify(processTypes),
    },
  });
  try {
    await container.putArchive(await lifecycleTar(), { path: "/tmp" });
    await container.putArchive(droplet, { path: "/home/vcap" });
    const [repo = "", tag = "latest"] = options.tag.split(/:(?=[^:/]+$)/);
    await container.commit({ repo, tag });
    return options.tag;
  } finally {
    await container.remove({ force: true });
  }
}

/** Removes images; a missing one is fine. */
export async function removeImages(refs: readonly string[]): Promise<void> {
  const docker = new Docker();
  for (const ref of refs)
    await docker
      .getImage(ref)
      .remove({ force: true })
      .catch(() => undefined);
}

async function lifecycleTar(): Promise<Buffer> {
  return buildTar(await lifecycleEntries(), {
    prefix: "lifecycle",
    parents: [{ path: "lifecycle", uid: 0, gid: 0 }],
  });
}

async function stageApp(docker: Docker, options: LaunchImageOptions) {
  const keys = options.buildpacks.map(buildpackKey);
  const container = await docker.createContainer({
    Image: stackImage,
    Cmd: ["sleep", "infinity"],
    Labels: options.labels,
  });
  try {
    await container.start();
    await container.putArchive(await lifecycleTar(), { path: "/tmp" });
    for (const [i, name] of options.buildpacks.entries()) {
      const dir = `buildpacks/${xxh64Hex(keys[i] ?? "")}`;
      const tree = await readTree(join(fixturesDir, "buildpacks", name));
      const parents = [
        { path: "buildpacks", uid: 0, gid: 0 },
        { path: dir, uid: 0, gid: 0 },
      ];
      await container.putArchive(buildTar(tree, { prefix: dir, parents }), { path: "/tmp" });
    }
    const appTree = await readTree(join(fixturesDir, "apps", options.app));
    const parents = [{ path: "app", uid: VCAP, gid: VCAP }];
    await container.putArchive(
      buildTar(appTree, { prefix: "app", uid: VCAP, gid: VCAP, parents }),
      { path: "/tmp" },
    );
    const code = await exec(docker, container, [
      "/tmp/lifecycle/builder",
      `-buildpackOrder=${keys.join(",")}`,
      `-skipDetect=${String(options.skipDetect)}`,
    ]);
    if (code !== 0) throw new Error(`staging ${options.app} failed with exit status ${code}`);
    return {
      droplet: await readFileOut(container, "/tmp/droplet"),
      result: (await readFileOut(container, "/tmp/result.json")).toString(),
    };
  } finally {
    await container.remove({ force: true });
  }
}

async function exec(docker: Docker, container: Docker.Container, cmd: string[]): Promise<number> {
  const handle = await container.exec({
    Cmd: cmd,
    User: "vcap",
    WorkingDir: "/home/vcap",
    Env: ["CF_STACK=cflinuxfs4"],
    AttachStdout: true,
    AttachStderr: true,
  });
  const stream = await handle.start({ hijack: true, stdin: false });
  const sink = new PassThrough().resume();
  docker.modem.demuxStream(stream, sink, sink);
  await new Promise<void>((resolve, reject) => {
    stream.on("end", resolve);
    stream.on("error", reject);
  });
  return (await handle.inspect()).ExitCode ?? -1;
}

async function readFileOut(container: Docker.Container, path: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of (await container.getArchive({ path })) as AsyncIterable<Buffer>)
    chunks.push(chunk);
  const tar = Buffer.concat(chunks);
  return tar.subarray(512, 512 + (new Header(tar, 0).size ?? 0));
}
