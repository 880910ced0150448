/**
 * The `launch` use case: a desired LRP's instances on the local engine (detached, attached or
 * as `docker run` lines), as a Swarm service, or as k8s / compose YAML. It loads the request,
 * checks the settings, chooses the image and runs the target; progress goes to
 * `ports.onProgress`, the result comes back as a LaunchReport the caller prints.
 */
import { UsageError } from "../errors.js";
import { loadLrpRequest } from "../request-input/load-request.js";
import type { LaunchReport } from "./launch/launch-report.js";
import type { LaunchPorts, LaunchRequest } from "./launch/launch-request.js";
import { launchSettings } from "./launch/launch-settings.js";
import { runOnDocker } from "./launch/run-on-docker.js";

export type { LaunchReport } from "./launch/launch-report.js";
export type {
  Interruption,
  LaunchPorts,
  LaunchProgress,
  LaunchRequest,
  LaunchTarget,
} from "./launch/launch-request.js";

export async function launch(request: LaunchRequest, ports: LaunchPorts): Promise<LaunchReport> {
  if ((request.attach || request.dryRun) && request.target !== "docker") {
    throw new UsageError(`--attach and --dry-run work with --output docker only`, {
      hint: "--output k8s and compose only write YAML; swarm creates a service and returns",
    });
  }
  const loaded = await loadLrpRequest({ file: request.file, stdin: ports.stdin, app: request.app });
  ports.onProgress({ kind: "input-warnings", warnings: loaded.warnings });
  const settings = await launchSettings(request);
  const lrp = loaded.request;
  switch (request.target) {
    case "docker":
      return runOnDocker({ lrp, request, settings }, ports);
    // The other targets load on demand: the YAML writer alone is ~70 modules a local launch
    // would otherwise import before starting anything.
    case "swarm": {
      const { runOnSwarm } = await import("./launch/run-on-swarm.js");
      return runOnSwarm({ lrp, request, settings }, ports);
    }
    case "k8s":
    case "compose": {
      const { writeManifest } = await import("./launch/write-manifest.js");
      return writeManifest(
        { lrp, request: { ...request, target: request.target }, settings },
        ports,
      );
    }
  }
}
