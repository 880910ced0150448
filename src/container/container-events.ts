/** The engine's event stream (`GET /events`), reduced to app container starts and removals. */
import type Docker from "dockerode";
import type { AppContainerEvent } from "./app-runtime.js";

interface EngineEvent {
  Type?: string;
  Action?: string;
  Actor?: { ID?: string };
  id?: string;
}

/** Resolves when `signal` aborts or the engine ends the stream. */
export async function followContainerEvents(
  docker: Docker,
  watch: {
    labels: string[];
    sinceS?: number | undefined;
    onEvent: (event: AppContainerEvent) => void;
  },
  signal: AbortSignal,
): Promise<void> {
  const filters = {
    type: ["container" as const],
    event: ["start", "destroy"],
    label: watch.labels,
  };
  const stream: NodeJS.ReadableStream & { destroy?: () => void } = await docker.getEvents({
    filters,
    ...(watch.sinceS === undefined ? {} : { since: watch.sinceS }),
  });
  const stop = () => stream.destroy?.();
  signal.addEventListener("abort", stop, { once: true });
  let pending = "";
  try {
    await new Promise<void>((resolve, reject) => {
      stream.on("data", (chunk: Buffer) => {
        pending += chunk.toString("utf8");
        const lines = pending.split("\n");
        pending = lines.pop() ?? "";
        for (const line of lines) {
          const event = parseEvent(line);
          if (event) watch.onEvent(event);
        }
      });
      stream.on("end", resolve);
      stream.on("close", resolve);
      stream.on("error", (error: Error) => (signal.aborted ? resolve() : reject(error)));
    });
  } finally {
    signal.removeEventListener("abort", stop);
  }
}

function parseEvent(line: string): AppContainerEvent | undefined {
  if (line.trim() === "") return undefined;
  let event: EngineEvent;
  try {
    event = JSON.parse(line) as EngineEvent;
  } catch {
    return undefined;
  }
  const id = event.Actor?.ID ?? event.id;
  if (event.Type !== "container" || id === undefined) return undefined;
  if (event.Action === "start" || event.Action === "destroy") return { id, action: event.Action };
  return undefined;
}
