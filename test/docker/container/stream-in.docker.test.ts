/**
 * Container.streamIn against the real engine: Garden's nstar semantics, observed from inside
 * the container (owners and modes with stat, writes by the user afterwards).
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Container } from "../../../src/container/container.js";
import { DockerRuntime } from "../../../src/container/docker-runtime.js";
import { shellIn, tarOf } from "../../kit/container-shell.js";

const image = "restager/stack:bookworm";
const testLabel = "io.restager.test-run";
const runId = `stream-in-${randomUUID()}`;
const runtime = new DockerRuntime();
let container: Container;

/** A shell in the test's container unless another is given. */
const sh = (script: string, user = "root", target: Container = container) =>
  shellIn(target, script, user);

const sample = () =>
  tarOf([
    { path: "bin/", mode: 0o777 },
    { path: "bin/build", content: "#!/bin/sh\n", mode: 0o777 },
    { path: "private.txt", content: "p", mode: 0o600, uid: 1234 },
  ]);

beforeAll(async () => {
  await runtime.ping();
  container = await runtime.createIdle({ image, env: [], labels: { [testLabel]: runId } });
});

afterAll(async () => {
  await runtime.removeLabelled(testLabel, runId);
});

describe("streamIn (Garden's nstar)", () => {
  it("creates missing components 0755 owned by the user; entries are the user's, umask-masked", async () => {
    await container.streamIn("/tmp/app/nested", sample(), { user: "vcap" });
    const stat = await sh(
      "stat -c '%n %U:%G %a' /tmp /tmp/app /tmp/app/nested /tmp/app/nested/bin " +
        "/tmp/app/nested/bin/build /tmp/app/nested/private.txt",
    );
    expect(stat.stdout.split("\n")).toEqual([
      "/tmp root:root 1777",
      "/tmp/app vcap:vcap 755",
      "/tmp/app/nested vcap:vcap 755",
      "/tmp/app/nested/bin vcap:vcap 755",
      "/tmp/app/nested/bin/build vcap:vcap 755",
      "/tmp/app/nested/private.txt vcap:vcap 600",
      "",
    ]);
    // What issue 10 was about: the builder (vcap) writes into the app directory.
    const write = await sh("echo built > /tmp/app/nested/built.marker && mkdir /tmp/app/x", "vcap");
    expect(write).toMatchObject({ exitCode: 0, stderr: "" });
  });

  it("resolves a relative `to` against the user's home and leaves existing components alone", async () => {
    await sh("mkdir -p /srv/shared && chmod 0777 /srv/shared");
    await container.streamIn(".", sample(), { user: "vcap" });
    await container.streamIn("/srv/shared/new", sample(), { user: "vcap" });
    const stat = await sh(
      "stat -c '%n %U:%G %a' /home/vcap /home/vcap/bin/build /srv /srv/shared /srv/shared/new",
    );
    expect(stat.stdout.split("\n")).toEqual([
      "/home/vcap vcap:vcap 755",
      "/home/vcap/bin/build vcap:vcap 755",
      "/srv root:root 755",
      "/srv/shared root:root 777",
      "/srv/shared/new vcap:vcap 755",
      "",
    ]);
  });

  it("a root stream-in keeps root's ownership", async () => {
    await container.streamIn("/opt/tools", sample(), { user: "root" });
    const stat = await sh("stat -c '%n %U:%G %a' /opt/tools /opt/tools/bin/build");
    expect(stat.stdout).toBe("/opt/tools root:root 755\n/opt/tools/bin/build root:root 755\n");
  });

  it("fails like Garden where the user may not write", async () => {
    const tar = tarOf([{ path: "hello.txt", content: "hi", mode: 0o644 }]);
    const error = await container
      .streamIn("/usr/local", tar, { user: "vcap" })
      .catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe(
      "stream-in: nstar: error streaming in: exit status 2. Output: " +
        "tar: hello.txt: Cannot open: Permission denied\n" +
        "tar: Exiting with failure status due to previous errors\n",
    );
    expect(tar.destroyed).toBe(true);
    expect((await sh("test -e /usr/local/hello.txt")).exitCode).toBe(1);
  });

  it("fails with nstar's mkdir message when a component cannot be created", async () => {
    await sh("echo x > /tmp/plain-file");
    const error = await container
      .streamIn("/tmp/plain-file/sub", sample(), { user: "vcap" })
      .catch((e: unknown) => e as Error);
    expect((error as Error).message).toBe(
      "stream-in: nstar: error streaming in: exit status 1. Output: " +
        "mkdir_p_as 2000 2000: Not a directory\n",
    );
    const notDir = await container
      .streamIn("/tmp/plain-file", sample(), { user: "vcap" })
      .catch((e: unknown) => e as Error);
    expect((notDir as Error).message).toBe(
      "stream-in: nstar: error streaming in: exit status 1. Output: " +
        "fchdir to container destination: Not a directory\n",
    );
  });

  it("falls back to a second exec for the user's tar in a stack without setpriv", async () => {
    const bare = await runtime.createIdle({ image, env: [], labels: { [testLabel]: runId } });
    await sh("mv /usr/bin/setpriv /usr/bin/setpriv.off", "root", bare);
    await bare.streamIn("/tmp/no-setpriv/app", sample(), { user: "vcap" });
    const stat = await sh(
      "stat -c '%n %U:%G %a' /tmp/no-setpriv /tmp/no-setpriv/app/bin/build",
      "root",
      bare,
    );
    expect(stat.stdout).toBe(
      "/tmp/no-setpriv vcap:vcap 755\n/tmp/no-setpriv/app/bin/build vcap:vcap 755\n",
    );
    const denied = await bare
      .streamIn("/usr/local", tarOf([{ path: "x", content: "x", mode: 0o644 }]), { user: "vcap" })
      .catch((e: unknown) => e as Error);
    expect((denied as Error).message).toBe(
      "stream-in: nstar: error streaming in: exit status 2. Output: " +
        "tar: x: Cannot open: Permission denied\n" +
        "tar: Exiting with failure status due to previous errors\n",
    );
    await bare.remove();
  });
});
