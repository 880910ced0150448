/**
 * The ports of the launch use case (src/app/launch.ts) for unit tests: the fake app runtime and
 * swarm, a download client that only counts its openings, an interruption the test triggers,
 * and every progress event recorded.
 */
import type { Interruption, LaunchPorts, LaunchProgress } from "../../src/app/launch.js";
import type { ImageStore } from "../../src/container/image-store.js";
import { CancelledError } from "../../src/errors.js";
import type { Downloader } from "../../src/http/ports.js";
import { FakeAppRuntime } from "./fake-app-runtime.js";
import { FakeArchives } from "./fake-ports.js";
import { FakeSwarm } from "./fake-swarm.js";

export interface FakeLaunchWorld {
  ports: LaunchPorts;
  runtime: FakeAppRuntime;
  swarm: FakeSwarm;
  events: LaunchProgress[];
  /** How many times the download client was opened, and closed. */
  downloads: { opened: number; closed: number };
  /** What each interruption said it would do, in order. */
  interruptions: string[];
  /** How often the identity issuer was prepared (a key made ahead), and closed. */
  issuer: { prepared: number; closed: number };
  /** From when on each identity keeper asked for follows restarts (Date.now() ms). */
  keptSinceMs: number[];
  /** Interrupts the open interruption (as Ctrl-C does). */
  interrupt(): void;
}

export function fakeLaunchWorld(overrides: Partial<LaunchPorts> = {}): FakeLaunchWorld {
  const runtime = new FakeAppRuntime();
  const swarm = new FakeSwarm();
  const events: LaunchProgress[] = [];
  const downloads = { opened: 0, closed: 0 };
  const interruptions: string[] = [];
  let controller = new AbortController();
  const interruption = (doing: string): Interruption => {
    interruptions.push(doing);
    controller = new AbortController();
    const signal = controller.signal;
    return { signal, received: () => signal.aborted, dispose: () => undefined };
  };
  const issuer = { prepared: 0, closed: 0 };
  const keptSinceMs: number[] = [];
  const ports: LaunchPorts = {
    runtime: () => runtime,
    swarm: () => swarm,
    downloads: () => {
      downloads.opened++;
      const downloader: Downloader = {
        download: () => Promise.reject(new Error("no downloads in unit tests")),
      };
      return Promise.resolve({
        downloader,
        close: () => {
          downloads.closed++;
          return Promise.resolve();
        },
      });
    },
    images: () => {
      throw new Error("no image builds in unit tests");
    },
    stdin: process.stdin,
    interruption,
    onProgress: (event) => events.push(event),
    // No identities in unit tests: the instances get neither credentials nor a keeper.
    cellCertificates: () =>
      Promise.resolve({
        cell: { identity: false },
        identities: {
          issue: () => Promise.reject(new Error("no identities in unit tests")),
          prepare: () => {
            issuer.prepared++;
          },
          close: () => {
            issuer.closed++;
          },
        },
        archives: new FakeArchives(),
      }),
    keepIdentities: (_plan, sinceMs) => void keptSinceMs.push(sinceMs),
    ...overrides,
  } satisfies LaunchPorts & { images: () => ImageStore };
  return {
    ports,
    runtime,
    swarm,
    events,
    downloads,
    issuer,
    keptSinceMs,
    interruptions,
    interrupt: () =>
      controller.abort(new CancelledError("Interrupted by SIGINT", { signal: "SIGINT" })),
  };
}
