import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import Docker from "dockerode";
import { Header } from "tar";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  buildTar,
  buildpackKey,
  fixturesDir,
  lifecycleEntries,
  readTree,
  xxh64Hex,
} from "../../kit/fixture-blobs.js";

// Stages fixture apps with the bash lifecycle inside the stack image, as vcap, the way a Diego
// staging task runs the builder, then runs the droplet under the launcher as an LRP would.

const image = "restager/stack:bookworm";
const docker = new Docker();
const runId = `fixture-lifecycle-${randomUUID()}`;
const labels = { "io.restager.test-run": runId };
const VCAP = 2000;
const instanceGuid = "6f1d2c3b-aaaa-4bbb-8ccc-123456789abc";
const vcapApplication = JSON.stringify({
  limits: { fds: 16384, mem: 256, disk: 1024 },
  application_name: "hello",
  name: "hello",
  space_name: "dev",
  application_uris: ["hello.example.com"],
  application_id: "2b7c4e3e-0000-4000-8000-000000000001",
});

interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(
  container: Docker.Container,
  cmd: string[],
  options: { user?: string; env?: string[]; workingDir?: string } = {},
): Promise<ExecResult> {
  const exec = await container.exec({
    Cmd: cmd,
    User: options.user ?? "vcap",
    Env: options.env ?? [],
    WorkingDir: options.workingDir ?? "/home/vcap",
    AttachStdout: true,
    AttachStderr: true,
  });
  const stream = await exec.start({ hijack: true, stdin: false });
  const out = new PassThrough();
  const err = new PassThrough();
  const chunks = { out: [] as Buffer[], err: [] as Buffer[] };
  out.on("data", (c: Buffer) => chunks.out.push(c));
  err.on("data", (c: Buffer) => chunks.err.push(c));
  docker.modem.demuxStream(stream, out, err);
  await new Promise<void>((resolve, reject) => {
    stream.on("end", resolve);
    stream.on("error", reject);
  });
  const info = await exec.inspect();
  return {
    code: info.ExitCode ?? -1,
    stdout: Buffer.concat(chunks.out).toString(),
    stderr: Buffer.concat(chunks.err).toString(),
  };
}

async function readFileOut(container: Docker.Container, path: string): Promise<Buffer> {
  const stream = await container.getArchive({ path });
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
  const tar = Buffer.concat(chunks);
  const header = new Header(tar, 0);
  return tar.subarray(512, 512 + (header.size ?? 0));
}

async function newContainer(options: Partial<Docker.ContainerCreateOptions> = {}) {
  return docker.createContainer({
    Image: image,
    Cmd: ["sleep", "infinity"],
    Labels: labels,
    Env: ["LANG=en_US.UTF-8"],
    ...options,
  });
}

async function putLifecycle(container: Docker.Container): Promise<void> {
  const tar = buildTar(await lifecycleEntries(), {
    prefix: "lifecycle",
    parents: [{ path: "lifecycle", uid: 0, gid: 0 }],
  });
  await container.putArchive(tar, { path: "/tmp" });
}

/** Stages `app` in a fresh container; returns the result JSON text and the droplet bytes. */
async function stage(app: string, buildpacks: string[], skipDetect: boolean) {
  const container = await newContainer();
  try {
    await container.start();
    const staging = await runBuilder(container, { app, buildpacks, skipDetect, appOwner: VCAP });
    expect(staging.stderr).toBe("");
    expect(staging.code).toBe(0);
    return {
      staging,
      result: (await readFileOut(container, "/tmp/result.json")).toString(),
      droplet: await readFileOut(container, "/tmp/droplet"),
    };
  } finally {
    await container.remove({ force: true });
  }
}

interface BuilderRun {
  app: string;
  buildpacks: string[];
  skipDetect: boolean;
  /** Owner of /tmp/app and its files (nstar makes them the download user's, vcap). */
  appOwner: number;
}

/** Puts the lifecycle, buildpacks and app into a started container and runs the builder as vcap. */
async function runBuilder(container: Docker.Container, options: BuilderRun): Promise<ExecResult> {
  const { app, buildpacks, skipDetect, appOwner } = options;
  const keys = buildpacks.map(buildpackKey);
  {
    await putLifecycle(container);
    for (const [i, name] of buildpacks.entries()) {
      const dir = `buildpacks/${xxh64Hex(keys[i] ?? "")}`;
      const tree = await readTree(join(fixturesDir, "buildpacks", name));
      const parents = [
        { path: "buildpacks", uid: 0, gid: 0 },
        { path: dir, uid: 0, gid: 0 },
      ];
      await container.putArchive(buildTar(tree, { prefix: dir, parents }), { path: "/tmp" });
    }
    const appTree = await readTree(join(fixturesDir, "apps", app));
    const owner = { uid: appOwner, gid: appOwner };
    const appParents = [{ path: "app", ...owner }];
    const appTar = buildTar(appTree, { prefix: "app", ...owner, parents: appParents });
    await container.putArchive(appTar, { path: "/tmp" });

    return run(
      container,
      [
        "/tmp/lifecycle/builder",
        "-buildArtifactsCacheDir=/tmp/cache",
        "-buildDir=/tmp/app",
        `-buildpackOrder=${keys.join(",")}`,
        "-buildpacksDir=/tmp/buildpacks",
        "-outputBuildArtifactsCache=/tmp/output-cache",
        "-outputDroplet=/tmp/droplet",
        "-outputMetadata=/tmp/result.json",
        "-skipCertVerify=false",
        `-skipDetect=${String(skipDetect)}`,
      ],
      { env: ["CF_STACK=cflinuxfs4", "MEMORY_LIMIT=256m", `VCAP_APPLICATION=${vcapApplication}`] },
    );
  }
}

/** Starts the droplet under the launcher, as the LRP's run action does, listening on 8080. */
async function launch(droplet: Buffer, extraEnv: string[] = []) {
  const container = await newContainer({
    Cmd: ["/tmp/lifecycle/launcher", "app", "", ""],
    User: "vcap",
    WorkingDir: "/home/vcap",
    Env: [
      "LANG=en_US.UTF-8",
      "PORT=8080",
      `INSTANCE_GUID=${instanceGuid}`,
      "INSTANCE_INDEX=0",
      `VCAP_APPLICATION=${vcapApplication}`,
      ...extraEnv,
    ],
  });
  await putLifecycle(container);
  await container.putArchive(droplet, { path: "/home/vcap" });
  await container.start();
  const ready = await run(container, [
    "/tmp/lifecycle/healthcheck",
    "-port=8080",
    "-timeout=1000ms",
    "-startup-interval=200ms",
    "-startup-timeout=30s",
  ]);
  expect(ready.code).toBe(0);
  expect(ready.stdout).toMatch(/^Using 172\.\d+\.\d+\.\d+ for health checking/);
  return container;
}

async function processEnv(container: Docker.Container): Promise<Map<string, string>> {
  const environ = await run(container, ["cat", "/proc/1/environ"]);
  const pairs = environ.stdout.split("\0").filter((line) => line.includes("="));
  return new Map(pairs.map((p) => [p.slice(0, p.indexOf("=")), p.slice(p.indexOf("=") + 1)]));
}

function expectRewrittenVcapApplication(value: string | undefined): void {
  const parsed = JSON.parse(value ?? "null") as Record<string, unknown>;
  expect(parsed).toMatchObject({ host: "0.0.0.0", port: 8080, instance_index: 0 });
  expect(parsed.instance_id).toBe(instanceGuid);
  expect(Object.keys(parsed)).toEqual(Object.keys(parsed).sort());
  expect(value).toContain('"limits":{"disk":1024,"fds":16384,"mem":256}');
}

describe("fixture lifecycle in the stack image", () => {
  beforeAll(async () => {
    const found = await docker.listImages({ filters: { reference: [image] } });
    if (found.length === 0)
      throw new Error(`${image} is missing: run 'bash scripts/setup-machine.sh'`);
  });

  afterAll(async () => {
    const left = await docker.listContainers({
      all: true,
      filters: { label: [`io.restager.test-run=${runId}`] },
    });
    await Promise.all(left.map((c) => docker.getContainer(c.Id).remove({ force: true })));
    expect(left).toEqual([]);
  });

  it("stages hello-static as vcap and serves it under the launcher", async () => {
    const { staging, result, droplet } = await stage("hello-static", ["never", "static"], false);
    expect(staging.stdout).toContain("-----> Static buildpack 1.2.3");
    expect(JSON.parse(result)).toMatchObject({
      lifecycle_metadata: {
        buildpack_key: buildpackKey("static"),
        detected_buildpack: "static_buildpack",
      },
      lifecycle_type: "buildpack",
    });

    const container = await launch(droplet);
    try {
      const page = await run(container, [
        "bash",
        "-c",
        'curl -sf "http://$(hostname -I | cut -d" " -f1):8080/"',
      ]);
      expect(page.stdout).toContain("Hello from restager");
      const http = await run(container, ["/tmp/lifecycle/healthcheck", "-port=8080", "-uri=/"]);
      expect(http.code).toBe(0);
      const missing = await run(container, [
        "/tmp/lifecycle/healthcheck",
        "-port=8080",
        "-uri=/nope",
      ]);
      expect(missing.code).toBe(6);
      expect(missing.stdout).toMatch(/received status code 404 in \d+ms$/);
      const closed = await run(container, ["/tmp/lifecycle/healthcheck", "-port=9"]);
      expect(closed.code).toBe(4);

      const env = await processEnv(container);
      expect(env.get("HOME")).toBe("/home/vcap/app");
      expect(env.get("TMPDIR")).toBe("/home/vcap/tmp");
      expect(env.get("DEPS_DIR")).toBe("/home/vcap/deps");
      expect(env.get("STATIC_PROFILE_LOADED")).toBe("1");
      expectRewrittenVcapApplication(env.get("VCAP_APPLICATION"));
      const logs = (await container.logs({ stdout: true, stderr: true })).toString();
      expect(logs).toContain("Invoking pre-start scripts.");
      expect(logs).toContain("Invoking start command.");
    } finally {
      await container.remove({ force: true });
    }
  });

  it("stages hello-shell with a legacy buildpack; the app sees the launcher's environment", async () => {
    const { result, droplet } = await stage("hello-shell", ["shell"], true);
    expect(JSON.parse(result)).toMatchObject({ process_types: { web: "bash run.sh" } });

    const container = await launch(droplet, ["VCAP_PLATFORM_OPTIONS={}"]);
    try {
      const envTxt = await run(container, [
        "bash",
        "-c",
        'curl -sf "http://$(hostname -I | cut -d" " -f1):8080/env.txt"',
      ]);
      const lines = envTxt.stdout.split("\n");
      expect(lines).toContain("HOME=/home/vcap/app");
      expect(lines).toContain("PORT=8080");
      expect(lines.some((l) => l.startsWith("VCAP_PLATFORM_OPTIONS="))).toBe(false);
      const vcap = lines.find((l) => l.startsWith("VCAP_APPLICATION="));
      expectRewrittenVcapApplication(vcap?.slice("VCAP_APPLICATION=".length));
    } finally {
      await container.remove({ force: true });
    }
  });

  it("fails as the real builder would when /tmp/app is root's: the app's bin/build cannot write", async () => {
    const container = await newContainer();
    try {
      await container.start();
      const run = await runBuilder(container, {
        app: "hello-build",
        buildpacks: ["static", "app-build"],
        skipDetect: false,
        appOwner: 0,
      });
      expect(run.code).toBe(223);
      expect(run.stderr).toContain("built.marker: Permission denied");
      expect(run.stderr).toMatch(/Failed to compile droplet: exit status 1\n$/);
    } finally {
      await container.remove({ force: true });
    }
  });

  it("stages an app whose bin/build writes into /tmp/app when vcap owns it", async () => {
    const { staging, droplet } = await stage("hello-build", ["static", "app-build"], false);
    expect(staging.stdout).toContain("bin/build wrote built.marker");
    expect(droplet.length).toBeGreaterThan(0);
  });

  it("follows redirects in healthcheck as Go's default client does: up to 10, any 30x with a Location", async () => {
    const container = await newContainer();
    try {
      await putLifecycle(container);
      await container.start();
      // busybox httpd with CGI scripts that redirect (the stack image has no other server).
      const scripts: Record<string, string> = {
        moved: String.raw`printf 'Status: 302 Found\r\nLocation: /index.html\r\n\r\n'`,
        twice: String.raw`printf 'Status: 301 Moved\r\nLocation: moved\r\n\r\n'`,
        absolute: String.raw`printf 'Status: 307 Moved\r\nLocation: http://%s:8081/\r\n\r\n' "$(hostname -I | cut -d' ' -f1)"`,
        loop: String.raw`printf 'Status: 302 Found\r\nLocation: /cgi-bin/loop\r\n\r\n'`,
        nowhere: String.raw`printf 'Status: 302 Found\r\nContent-Type: text/plain\r\n\r\n'`,
      };
      for (const [name, body] of Object.entries(scripts)) {
        const write =
          'mkdir -p /tmp/www/cgi-bin && printf "#!/bin/sh\n%s\n" "$2" > "$1" && chmod +x "$1"';
        const written = await run(container, [
          "bash",
          "-c",
          write,
          "_",
          `/tmp/www/cgi-bin/${name}`,
          body,
        ]);
        expect(written.code).toBe(0);
      }
      const setup = await run(container, [
        "bash",
        "-c",
        "echo ok > /tmp/www/index.html && busybox httpd -p 8081 -h /tmp/www",
      ]);
      expect(setup.code).toBe(0);
      const check = (uri: string) =>
        run(container, ["/tmp/lifecycle/healthcheck", "-port=8081", `-uri=${uri}`, "-timeout=5s"]);
      for (const uri of ["/cgi-bin/moved", "/cgi-bin/twice", "/cgi-bin/absolute"]) {
        expect({ uri, ...(await check(uri)) }).toMatchObject({ uri, code: 0 });
      }
      // Go stops after 10 redirects with an error that the binary words as any other.
      expect(await check("/cgi-bin/loop")).toMatchObject({
        code: 5,
        stdout: expect.stringMatching(
          /Failed to make HTTP request to '\/cgi-bin\/loop' on port 8081: connection refused$/,
        ) as unknown,
      });
      // A 30x without a Location is the answer itself.
      const nowhere = await check("/cgi-bin/nowhere");
      expect(nowhere.code).toBe(6);
      expect(nowhere.stdout).toMatch(/received status code 302 in \d+ms$/);
    } finally {
      await container.remove({ force: true });
    }
  });

  it("exits 3 from healthcheck when the container has no network", async () => {
    const container = await newContainer({ HostConfig: { NetworkMode: "none" } });
    try {
      await putLifecycle(container);
      await container.start();
      const check = await run(container, ["/tmp/lifecycle/healthcheck", "-port=8080"]);
      expect(check).toMatchObject({ code: 3, stdout: "failure to find suitable interface" });
    } finally {
      await container.remove({ force: true });
    }
  });
});
