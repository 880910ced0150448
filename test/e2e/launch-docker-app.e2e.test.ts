/**
 * Docker-image apps (`rootfs: docker://…`): `launch` pulls the app's image from a registry,
 * brings the docker app lifecycle of the LRP's cached_dependencies (served by the fake Cloud
 * Foundry's file server) into it, and runs the LRP's run action as a cell would: the fixture
 * docker launcher runs the image's entrypoint + cmd from the execution metadata in its workdir,
 * as the action's user, with the image's env and the LRP's. The image is built here, FROM the
 * local stack image, and pushed to the machine's registry (127.0.0.1:5000) or to a registry of
 * this test that demands a password, which a Docker credential helper on PATH supplies.
 */
import { randomUUID } from "node:crypto";
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable } from "node:stream";
import Docker from "dockerode";
import { execa, type ResultPromise } from "execa";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  listRestagerContainers,
  removeLabelledContainers,
  TEST_RUN_LABEL,
  testRunId,
} from "../kit/docker-leaks.js";
import { runCli, type CliOptions } from "../kit/e2e/cli.js";
import { expectExit } from "../kit/e2e/expectations.js";
import { FakeCf } from "../kit/fake-cf/fake-cf.js";
import { buildDockerLifecycleTgz, fixturesDir } from "../kit/fixture-blobs.js";

const docker = new Docker();
const id = randomUUID().slice(0, 8);
const role = `io.restager.test-role-docker-app-${id}`;
const labelArgs = ["--label", `${TEST_RUN_LABEL}=${testRunId()}`, "--label", `${role}=1`];
const localRegistry = "127.0.0.1:5000";
const repository = `restager-e2e/docker-app-${id}`;
const builtTag = `restager-e2e/docker-app-build:${id}`;
/** A test password and its bcrypt hash (cost 5), for the registry's htpasswd. Not a secret. */
const helperUser = "robot";
const helperPassword = "restager-helper-pw";
const helperHash = "$2a$05$3nRR7BuUgbSJ.NnyYsQShun2snFoMIzwmr87fw12n837vXK.5//9a";

let dir: string;
let cf: FakeCf;
let lifecycleUrl: string;
const createdImages: string[] = [];

interface LaunchJson {
  image: string;
  instances: { state: string; urls: string[] }[];
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "restager-docker-app-"));
  cf = await FakeCf.start();
  const lifecycle = await buildDockerLifecycleTgz(dir);
  const file = await cf.fileServer.add(
    "docker_app_lifecycle/docker_app_lifecycle.tgz",
    lifecycle.path,
  );
  lifecycleUrl = file.url("127.0.0.1");
  await buildAppImage();
}, 120_000);

afterAll(async () => {
  for (const ref of [...createdImages, builtTag]) {
    await docker
      .getImage(ref)
      .remove({ force: true })
      .catch(() => undefined);
  }
  await cf?.close();
  await rm(dir, { recursive: true, force: true });
});

afterEach(async () => {
  const leaked = await listRestagerContainers(`${role}=1`);
  await removeLabelledContainers(role, "1");
  expect(leaked.map((c) => `${c.name} (${c.state})`)).toEqual([]);
});

/**
 * The app: its start script writes what it sees (user, working directory, args, the image's
 * env, the LRP's env as the launcher left it) into the page busybox httpd serves.
 */
async function buildAppImage(): Promise<void> {
  const context = join(dir, "context");
  await mkdir(context);
  const start = [
    "#!/bin/sh",
    "mkdir -p /tmp/www",
    '{ echo "user=$(id -un)"; echo "pwd=$(pwd)"; echo "args=$*"; echo "greeting=$GREETING";',
    '  echo "port=$PORT"; echo "path=$PATH"; echo "vcap=$VCAP_APPLICATION"; } >/tmp/www/index.html',
    'exec busybox httpd -f -p "$1" -h /tmp/www',
  ].join("\n");
  await writeFile(join(context, "start.sh"), `${start}\n`);
  await chmod(join(context, "start.sh"), 0o755);
  const dockerfile = [
    "FROM restager/stack:bookworm",
    `LABEL ${TEST_RUN_LABEL}=${testRunId()}`,
    "ENV GREETING=from-the-image PATH=/opt/app/bin:/usr/local/bin:/usr/bin:/bin",
    "COPY start.sh /srv/start.sh",
    "WORKDIR /srv",
    "USER nobody",
    'ENTRYPOINT ["/srv/start.sh"]',
    'CMD ["8080"]',
    "EXPOSE 8080",
  ].join("\n");
  await writeFile(join(context, "Dockerfile"), `${dockerfile}\n`);
  await execa("docker", ["build", "-q", "-t", builtTag, context], {
    env: { DOCKER_BUILDKIT: "0" },
  });
}

/** Pushes the test image to `registry` under a fresh tag, then drops every local name of it. */
async function pushApp(registry: string, auth?: Docker.AuthConfig): Promise<string> {
  const tag = `v${randomUUID().slice(0, 6)}`;
  const ref = `${registry}/${repository}:${tag}`;
  await docker.getImage(builtTag).tag({ repo: `${registry}/${repository}`, tag });
  const stream = (await docker
    .getImage(`${registry}/${repository}`)
    .push({ tag, ...(auth ? { authconfig: auth } : {}) })) as Readable;
  const messages = await drain(stream);
  expect(messages, `push ${ref}`).not.toMatch(/"error"/);
  await docker.getImage(ref).remove();
  return ref;
}

async function drain(stream: Readable): Promise<string> {
  let text = "";
  for await (const chunk of stream) text += String(chunk);
  return text;
}

/** The fixture docker-app LRP, with the test's image and the fake file server's lifecycle. */
async function writeLrp(name: string, ref: string, edit?: (lrp: LrpJson) => void) {
  const text = await readFile(join(fixturesDir, "requests", "lrp-cc-docker-app.json"), "utf8");
  const lrp = JSON.parse(text) as LrpJson;
  const [repo, tag] = [ref.slice(0, ref.lastIndexOf(":")), ref.slice(ref.lastIndexOf(":") + 1)];
  const slash = repo.indexOf("/");
  lrp.rootfs = `docker://${repo.slice(0, slash)}/${repo.slice(slash + 1)}#${tag}`;
  lrp.process_guid = `${randomUUID()}-${randomUUID()}`;
  lrp.cached_dependencies = [{ ...lrp.cached_dependencies[0], from: lifecycleUrl }];
  edit?.(lrp);
  const path = join(dir, `${name}.json`);
  await writeFile(path, JSON.stringify(lrp));
  return path;
}

interface LrpJson {
  rootfs: string;
  process_guid: string;
  cached_dependencies: { from: string }[];
  image_username: string;
  image_password: string;
}

async function launch(lrpFile: string, options: CliOptions & { extraArgs?: string[] } = {}) {
  const { extraArgs = [], ...cli } = options;
  const cacheDir = join(dir, "cache");
  const args = ["launch", lrpFile, "--json", "--cache-dir", cacheDir, ...labelArgs, ...extraArgs];
  return runCli("restager", args, { timeoutMs: 180_000, ...cli });
}

/** `restager stop <process guid>`: what a user does; leaves nothing for afterEach to find. */
async function stop(lrpFile: string): Promise<void> {
  const lrp = JSON.parse(await readFile(lrpFile, "utf8")) as LrpJson;
  expectExit(await runCli("restager", ["stop", lrp.process_guid]), 0);
}

async function page(result: { stdout: string }): Promise<string> {
  const report = JSON.parse(result.stdout) as LaunchJson;
  createdImages.push(report.image);
  const url = report.instances[0]?.urls[0] ?? "";
  const response = await fetch(`${url}/`);
  expect(response.status).toBe(200);
  return response.text();
}

describe("launch of a Docker-image app", () => {
  it("pulls the rootfs image, adds the docker lifecycle and runs entrypoint + cmd as a cell does", async () => {
    const ref = await pushApp(localRegistry);
    const lrpFile = await writeLrp("local", ref);
    const lifecycleGets = cf.requestsTo("fileServer", "/v1/static/docker_app_lifecycle/").length;
    const result = await launch(lrpFile, { env: { DOCKER_CONFIG: join(dir, "no-config") } });
    expectExit(result, 0);
    expect(result.stderr).toContain(`Pulled ${ref}; running it as restager/lifecycle-base:`);
    expect(cf.requestsTo("fileServer", "/v1/static/docker_app_lifecycle/").length).toBe(
      lifecycleGets + 1,
    );
    const text = await page(result);
    expect(text).toContain("user=nobody\n"); // the run action's user
    expect(text).toContain("pwd=/srv\n"); // the execution metadata's workdir
    expect(text).toContain("args=8080\n"); // the image's CMD after its ENTRYPOINT
    expect(text).toContain("greeting=from-the-image\n"); // the image's env is kept
    expect(text).toContain("path=/opt/app/bin:/usr/local/bin:/usr/bin:/bin\n"); // no Garden PATH
    expect(text).toContain("port=8080\n");
    expect(text).toMatch(/vcap=\{"application_id":.*"host":"0\.0\.0\.0".*"instance_index":0,/);
    expect((await docker.getImage(ref).inspect()).RepoTags).toContain(ref);
    await stop(lrpFile);
  });

  it("fails with the registry's word when the image does not exist", async () => {
    const lrpFile = await writeLrp("missing", `${localRegistry}/${repository}:no-such-tag`);
    const result = await launch(lrpFile, { env: { DOCKER_CONFIG: join(dir, "no-config") } });
    expectExit(result, 69);
    expect(result.stderr).toContain(`Cannot pull ${localRegistry}/${repository}:no-such-tag`);
    expect(result.stderr).not.toContain("    at ");
  });
});

describe("registry flags of launch", () => {
  it("--registry-password-stdin needs the LRP in a file: stdin cannot carry both", async () => {
    const result = await runCli(
      "restager",
      ["launch", "--registry-user", "me", "--registry-password-stdin"],
      { input: "{}" },
    );
    expectExit(result, 2);
    expect(result.stderr).toContain("--registry-password-stdin needs the LRP in a file");
  });
});

describe("launch of a Docker-image app from a registry that demands a password", () => {
  let registry: string;
  let server: ResultPromise | undefined;
  let ref: string;
  const helperDir = () => join(dir, "helper");

  beforeAll(async () => {
    const port = await freePort();
    registry = `127.0.0.1:${port}`;
    const home = join(dir, "auth-registry");
    await mkdir(join(home, "data"), { recursive: true });
    await writeFile(join(home, "htpasswd"), `${helperUser}:${helperHash}\n`);
    await writeFile(
      join(home, "config.yml"),
      [
        "version: 0.1",
        "log:",
        "  level: error",
        "storage:",
        "  filesystem:",
        `    rootdirectory: ${join(home, "data")}`,
        "http:",
        `  addr: ${registry}`,
        "auth:",
        "  htpasswd:",
        "    realm: restager-test",
        `    path: ${join(home, "htpasswd")}`,
      ].join("\n"),
    );
    server = execa("docker-registry", ["serve", join(home, "config.yml")], { reject: false });
    await waitForRegistry(registry);
    ref = await pushApp(registry, {
      username: helperUser,
      password: helperPassword,
      serveraddress: registry,
    });
    // The helper the Docker config names, answering `get` as docker's helpers do.
    await mkdir(helperDir());
    const script = join(helperDir(), "docker-credential-restager-test");
    await writeFile(
      script,
      [
        "#!/bin/sh",
        '[ "$1" = get ] || exit 1',
        "read -r server || true",
        `[ "$server" = "${registry}" ] || { echo 'credentials not found in native keychain'; exit 1; }`,
        `printf '{"ServerURL":"%s","Username":"${helperUser}","Secret":"${helperPassword}"}' "$server"`,
      ].join("\n"),
    );
    await chmod(script, 0o755);
    await writeFile(
      join(helperDir(), "config.json"),
      JSON.stringify({ credHelpers: { [registry]: "restager-test" } }),
    );
  }, 120_000);

  afterAll(() => {
    server?.kill("SIGTERM");
  });

  it("without credentials: refused, naming the fix", async () => {
    const lrpFile = await writeLrp("no-credentials", ref);
    const result = await launch(lrpFile, { env: { DOCKER_CONFIG: join(dir, "no-config") } });
    expectExit(result, 69);
    expect(result.stderr).toMatch(/Cannot pull .*(unauthorized|no basic auth credentials)/i);
    expect(result.stderr).toContain("--registry-user");
  });

  it("with a credential helper from the Docker config (credHelpers): pulled and answering", async () => {
    const lrpFile = await writeLrp("helper", ref);
    const path = `${helperDir()}:${process.env.PATH ?? ""}`;
    const result = await launch(lrpFile, { env: { DOCKER_CONFIG: helperDir(), PATH: path } });
    expectExit(result, 0);
    expect(await page(result)).toContain("user=nobody\n");
    expect(result.stderr).not.toContain(helperPassword);
    expect(result.stdout).not.toContain(helperPassword);
    await stop(lrpFile);
  });

  it("with --registry-user and the password on stdin, the LRP from a file", async () => {
    await docker
      .getImage(ref)
      .remove({ force: true })
      .catch(() => undefined);
    const lrpFile = await writeLrp("flag-credentials", ref);
    const result = await launch(lrpFile, {
      env: { DOCKER_CONFIG: join(dir, "no-config") },
      input: `${helperPassword}\n`,
      extraArgs: ["--registry-user", helperUser, "--registry-password-stdin"],
    });
    expectExit(result, 0);
    expect(await page(result)).toContain("user=nobody\n");
    expect(result.stderr).not.toContain(helperPassword);
    await stop(lrpFile);
  });

  it("with the LRP's image_username / image_password", async () => {
    await docker
      .getImage(ref)
      .remove({ force: true })
      .catch(() => undefined);
    const lrpFile = await writeLrp("lrp-credentials", ref, (lrp) => {
      lrp.image_username = helperUser;
      lrp.image_password = helperPassword;
    });
    const result = await launch(lrpFile, { env: { DOCKER_CONFIG: join(dir, "no-config") } });
    expectExit(result, 0);
    expect(await page(result)).toContain("greeting=from-the-image\n");
    expect(result.stderr).not.toContain(helperPassword);
    await stop(lrpFile);
  });
});

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

async function waitForRegistry(registry: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const status = await fetch(`http://${registry}/v2/`)
      .then((response) => response.status)
      .catch(() => 0);
    if (status === 401) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the test registry on ${registry} did not start`);
}
