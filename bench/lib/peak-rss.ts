/**
 * Runs a process and measures its peak RSS: GNU time's maximum resident set size when
 * /usr/bin/time is GNU time, else the highest VmHWM read from /proc/<pid>/status every 50 ms.
 */
import { access, constants, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runProcess, type ProcessResult, type RunProcessOptions } from "./run-process.js";

export type RssMethod = "GNU time" | "VmHWM polling" | "unavailable";

export interface MeasuredProcess {
  result: ProcessResult;
  peakRssBytes: number | undefined;
  rssMethod: RssMethod;
}

const gnuTime = "/usr/bin/time";

/** `command args` run with `options`; `scratchDir` receives GNU time's output file. */
export async function runMeasured(
  command: string,
  args: readonly string[],
  options: RunProcessOptions & { scratchDir: string },
): Promise<MeasuredProcess> {
  if (await gnuTimeWorks()) {
    const rssFile = join(options.scratchDir, `maxrss-${process.pid}-${Date.now()}`);
    try {
      const timed = ["-f", "%M", "-o", rssFile, command, ...args];
      const result = await runProcess(gnuTime, timed, options);
      const lines = (await readFile(rssFile, "utf8").catch(() => "")).trim().split("\n");
      const kilobytes = Number(lines.pop());
      const peakRssBytes = kilobytes > 0 ? kilobytes * 1024 : undefined;
      return { result, peakRssBytes, rssMethod: peakRssBytes ? "GNU time" : "unavailable" };
    } finally {
      await rm(rssFile, { force: true });
    }
  }
  const poller = new HwmPoller();
  const onSpawn = (pid: number): void => poller.start(pid);
  const result = await runProcess(command, args, { ...options, onSpawn });
  const peakRssBytes = poller.stop();
  return { result, peakRssBytes, rssMethod: peakRssBytes ? "VmHWM polling" : "unavailable" };
}

let gnuTimeChecked: Promise<boolean> | undefined;

/** Whether /usr/bin/time is GNU time (BusyBox's has no -f/-o). */
function gnuTimeWorks(): Promise<boolean> {
  gnuTimeChecked ??= (async () => {
    try {
      await access(gnuTime, constants.X_OK);
      const dir = await mkdtemp(join(tmpdir(), "bench-time-"));
      try {
        const probe = await runProcess(gnuTime, ["-f", "%M", "-o", join(dir, "out"), "true"]);
        return probe.exitCode === 0 && /^\d+\s*$/.test(await readFile(join(dir, "out"), "utf8"));
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    } catch {
      return false;
    }
  })();
  return gnuTimeChecked;
}

/** Reads VmHWM (the process's RSS high-water mark) until stopped. */
class HwmPoller {
  #peak: number | undefined;
  #timer: NodeJS.Timeout | undefined;

  start(pid: number): void {
    const read = (): void => {
      readFile(`/proc/${pid}/status`, "utf8")
        .then((status) => {
          const kilobytes = Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1]);
          if (kilobytes > 0) this.#peak = Math.max(this.#peak ?? 0, kilobytes * 1024);
        })
        .catch(() => {});
    };
    read();
    this.#timer = setInterval(read, 50);
  }

  stop(): number | undefined {
    clearInterval(this.#timer);
    return this.#peak;
  }
}
