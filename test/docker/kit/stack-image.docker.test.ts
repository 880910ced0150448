import Docker from "dockerode";
import { afterAll, describe, expect, inject, it } from "vitest";
import { DockerFrames } from "../../../src/container/docker-frames.js";
import { TEST_RUN_LABEL, assertNoLeakedContainers, testRunId } from "../../kit/docker-leaks.js";

// The stack image built by scripts/setup-machine.sh must run a command the way Diego runs
// actions: as vcap (2000:2000) with its home and an app directory it owns, and with the
// tools the lifecycle and restager's own wrappers call.

const image = "restager/stack:bookworm";
const aliases = [
  "restager/cflinuxfs4:latest",
  "restager/cflinuxfs3:latest",
  "restager/cflinuxfs2:latest",
];
const tools = ["bash", "curl", "tar", "gzip", "unzip", "xxhsum", "busybox"];
const docker = new Docker();
const runId = testRunId();

// Prints one `key=value` line per fact; the test compares the whole set.
const probe = [
  'echo "uid=$(id -u)" "gid=$(id -g)" "user=$(id -un)" "group=$(id -gn)"',
  'echo "home=$HOME"',
  'echo "app=$(stat -c %u:%g:%F /home/vcap/app)"',
  'echo "app-writable=$(touch /home/vcap/app/probe && echo yes || echo no)"',
  `for t in ${tools.join(" ")}; do echo "tool.$t=$(command -v "$t" >/dev/null && echo found || echo missing)"; done`,
  'echo "en_US.UTF-8=$(LC_ALL=en_US.UTF-8 locale charmap 2>/dev/null)"',
].join("\n");

afterAll(async () => {
  await assertNoLeakedContainers(TEST_RUN_LABEL, runId);
});

describe("stack image", () => {
  it("shares the run id that the global setup provides", () => {
    expect(inject("restagerTestRun")).toBe(runId);
  });

  it("runs a command as vcap with its home, app dir and tools", async () => {
    const { exitCode, stdout, stderr } = await runAsVcap(probe);
    expect(stderr).toBe("");
    expect(exitCode).toBe(0);
    expect(parseFacts(stdout)).toEqual({
      uid: "2000",
      gid: "2000",
      user: "vcap",
      group: "vcap",
      home: "/home/vcap",
      app: "2000:2000:directory",
      "app-writable": "yes",
      ...Object.fromEntries(tools.map((t) => [`tool.${t}`, "found"])),
      "en_US.UTF-8": "UTF-8",
    });
  });

  it("carries its recipe hash and is what the cflinuxfs names resolve to", async () => {
    const stack = await docker.getImage(image).inspect();
    expect(stack.Config.Labels["io.restager.stack-recipe"]).toMatch(/^[0-9a-f]{64}$/);
    expect(stack.Config.Env).toContain(
      "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    );
    for (const alias of aliases) {
      expect((await docker.getImage(alias).inspect()).Id, alias).toBe(stack.Id);
    }
  });
});

interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

async function runAsVcap(script: string): Promise<RunResult> {
  const container = await docker.createContainer({
    Image: image,
    User: "vcap",
    Cmd: ["bash", "-c", script],
    Labels: { [TEST_RUN_LABEL]: runId },
    HostConfig: { NetworkMode: "none" },
  });
  try {
    await container.start();
    const { StatusCode } = (await container.wait()) as { StatusCode: number };
    const raw = await container.logs({ stdout: true, stderr: true, follow: false });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    new DockerFrames({ stdout: (b) => out.push(b), stderr: (b) => err.push(b) }).push(raw);
    return {
      exitCode: StatusCode,
      stdout: Buffer.concat(out).toString("utf8"),
      stderr: Buffer.concat(err).toString("utf8"),
    };
  } finally {
    await container.remove({ force: true });
  }
}

/** `a=1 b=2` words, one or more per line, into a record. */
function parseFacts(output: string): Record<string, string> {
  const facts: Record<string, string> = {};
  for (const word of output.split(/\s+/).filter(Boolean)) {
    const at = word.indexOf("=");
    facts[word.slice(0, at)] = word.slice(at + 1);
  }
  return facts;
}
