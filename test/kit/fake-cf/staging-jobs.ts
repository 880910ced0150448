/** CC's staging jobs as the fake runs them: queued when created, finished at the first poll. */
import { randomUUID } from "node:crypto";

export interface JobPresentation {
  metadata: { guid: string; created_at: string; url: string };
  entity: { guid: string; status: "queued" | "finished" };
}

export class StagingJobs {
  readonly #jobs = new Map<string, { url: string; createdAt: string }>();

  /** A new queued job polled at `<urlPrefix><guid>`. */
  create(urlPrefix: string): JobPresentation {
    const guid = randomUUID();
    const job = {
      url: `${urlPrefix}${guid}`,
      createdAt: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
    };
    this.#jobs.set(guid, job);
    return present(guid, job, "queued");
  }

  /** The job's state at a poll, or undefined for an unknown guid. */
  poll(guid: string): JobPresentation | undefined {
    const job = this.#jobs.get(guid);
    return job === undefined ? undefined : present(guid, job, "finished");
  }
}

function present(
  guid: string,
  job: { url: string; createdAt: string },
  status: "queued" | "finished",
): JobPresentation {
  return { metadata: { guid, created_at: job.createdAt, url: job.url }, entity: { guid, status } };
}
