/**
 * What restage() takes and returns. Its own module, so the pieces restage() is made of
 * (staging-dependencies.ts, cell-files.ts, staging-container-spec.ts) read these types without
 * importing restage.ts back.
 */
import type { Archives } from "../archive/ports.js";
import type { Container, ContainerRuntime } from "../container/container.js";
import type { TaskRequest } from "../diego/task-definition.js";
import type { TaskLog } from "../diego/task-log.js";
import type { StepSettings } from "../diego/steps/step-context.js";
import type { Logger } from "../core/events.js";
import type { Downloader, Uploader } from "../http/ports.js";
import type { IdentityIssuer } from "../identity/instance-identity.js";
import type { KeptDropletFile } from "./artifact-retention.js";
import type { KeptArtifact } from "./kept-artifacts.js";
import type { TaskResult } from "./read-result-file.js";
import type { CertificateFile } from "./system-certificates.js";
import type { VolumeTiming } from "./volume-claims.js";

export interface RestageDeps {
  runtime: ContainerRuntime;
  downloader: Downloader;
  uploader: Uploader;
  archives: Archives;
  taskLog: TaskLog;
  logger: Logger;
  settings: StepSettings;
  /** Told when a phase starts (`creating container`, `downloading`, `staging`, ...). */
  onPhase?: ((phase: string) => void) | undefined;
  /** Told once the container exists, so a signal handler can name it. */
  onContainer?: ((container: Container) => void) | undefined;
  /**
   * Told of every artifact an upload step settled (kept on disk or not), as it settles: an
   * interrupted run ends without an outcome, and must still say where a kept droplet is.
   */
  onArtifact?: ((artifact: KeptArtifact) => void) | undefined;
  /**
   * Told where the droplet is kept (`keepDroplet`, or `keepArtifacts`) as soon as it is, while
   * it is still being uploaded: the image build can start reading it. The file is complete.
   */
  /**
   * Told the result file's content when it is read while the last uploads are still being sent
   * (early-release.ts), before the task's outcome is known.
   */
  onResult?: ((result: TaskResult) => void) | undefined;
  onDropletKept?: ((droplet: KeptDropletFile) => void) | undefined;
  /**
   * Given the removal of the container and the release of the volumes as the run ends, to be
   * awaited by the caller, which may do other work meanwhile (the image build). Without it,
   * restage() awaits them itself. Either way the run's own result does not wait for anything
   * else; a kept container (keepContainer) is not removed.
   */
  deferCleanup?: ((cleanup: Promise<void>) => void) | undefined;
  /** Start the task's downloads while the cached dependencies are prepared (default true). */
  prefetch?: boolean | undefined;
  /** Timings of the dependency volumes' fill protocol (tests shorten them). */
  volumeTiming?: Partial<VolumeTiming> | undefined;
  /**
   * Issues the staging container's instance identity (src/identity/); undefined: none, as on a
   * cell without instance identity.
   */
  identities?: IdentityIssuer | undefined;
}

export interface RestageOptions {
  request: TaskRequest;
  image: string;
  network?: string | undefined;
  /** Identifies this invocation; every container it creates carries it as a label. */
  runId: string;
  /** Extra labels (a test run id, ...). */
  labels: Record<string, string>;
  /** Leave the container in place for debugging. */
  keepContainer: boolean;
  /**
   * The cell's trusted system certificates, mounted read-only at the task's
   * `trusted_system_certificates_path`; undefined: none, as on a cell without them.
   */
  trustedCertificates?: readonly CertificateFile[] | undefined;
  /** Where artifacts are kept: always with keepArtifacts, else only those whose upload failed. */
  outputDir: string;
  keepArtifacts: boolean;
  /** Keep the droplet in `outputDir` even once uploaded (an image is built from it). */
  keepDroplet?: boolean | undefined;
  signal: AbortSignal;
}

export interface RestageOutcome {
  failed: boolean;
  failureReason: string;
  /** The step error behind a failure. */
  error?: unknown;
  result?: TaskResult | undefined;
  artifacts: KeptArtifact[];
  durationsMs: Record<string, number>;
  /** Undefined when the task failed before its container was created (a cached dependency). */
  containerId?: string | undefined;
  containerKept: boolean;
}
