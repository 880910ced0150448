import { describe, expect, it } from "vitest";
import type { AppContainerEvent, ListedAppContainer } from "../../../src/container/app-runtime.js";
import { keepInstanceIdentities } from "../../../src/launch/identity-keeper.js";
import { caIssuer } from "../../../src/identity/instance-identity.js";
import { x509Pki } from "../../../src/x509/x509-pki.js";
import { FakeAppRuntime } from "../../kit/fake-app-runtime.js";
import { TarArchives } from "../../../src/archive/tar-archives.js";

/** An engine with one instance of run `r1`, whose events the test plays. */
class EventfulRuntime extends FakeAppRuntime {
  listed: ListedAppContainer[] = [];
  /** Plays an engine event to the keeper (once it follows them). */
  emit: (event: AppContainerEvent) => void = () => undefined;
  following = false;

  override listApps(): Promise<ListedAppContainer[]> {
    return Promise.resolve(this.listed);
  }

  override async followEvents(
    _filter: { labels: string[]; sinceS?: number | undefined },
    onEvent: (event: AppContainerEvent) => void,
    signal: AbortSignal,
  ): Promise<void> {
    this.emit = onEvent;
    this.following = true;
    if (!signal.aborted) await new Promise((resolve) => signal.addEventListener("abort", resolve));
  }
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}

async function ca() {
  return x509Pki.createAuthority({
    commonName: "keeper CA",
    notAfter: new Date(Date.now() + 3_600_000),
  });
}

describe("the identity keeper", () => {
  it("reissues an instance's credentials when it starts again and ends once the app is gone", async () => {
    const runtime = new EventfulRuntime();
    const id = await runtime.runApp({
      name: "restager-app-0-r1",
      image: "i",
      entrypoint: [],
      cmd: [],
      user: "vcap",
      workingDir: "/home/vcap",
      env: [],
      labels: {},
      ports: [],
    });
    runtime.script("restager-app-0-r1", [{ ip: "172.17.0.9" }]);
    runtime.listed = [
      {
        id,
        name: "restager-app-0-r1",
        image: "i",
        state: "running",
        status: "Up",
        createdMs: 0,
        labels: { "io.restager.run": "r1", "io.restager.instance-guid": "guid-0" },
        ports: [],
      },
    ];
    const keeping = keepInstanceIdentities(
      { runId: "r1", organizationalUnits: ["app:a1"] },
      { runtime, identities: caIssuer(await ca()), archives: new TarArchives() },
      new AbortController().signal,
    );
    await until(() => runtime.following);
    runtime.emit({ id, action: "start" });
    await until(() => runtime.written.length > 0);
    expect(runtime.written.map((w) => [w.id, w.dir])).toEqual([[id, "/"]]);
    const tar = runtime.written[0]?.tar.toString("latin1") ?? "";
    expect(tar).toContain("etc/cf-instance-credentials/instance.crt");
    expect(tar).not.toContain("cf-system-certificates");
    // `restager stop` removed it: the keeper ends.
    runtime.listed = [];
    runtime.emit({ id, action: "destroy" });
    await keeping;
  });

  it("ends at once when the launch has no container left", async () => {
    const runtime = new EventfulRuntime();
    const signal = new AbortController().signal;
    await keepInstanceIdentities(
      { runId: "r2", organizationalUnits: [] },
      { runtime, identities: caIssuer(await ca()), archives: new TarArchives() },
      signal,
    );
    expect(runtime.written).toEqual([]);
  });
});
