import type { Argv, CommandModule } from "yargs";
import type { LaunchArgs } from "../launch/launch-args.js";
import type { Output } from "../output.js";
import { withTlsFlags } from "../tls-flags.js";
import { runLaunchCommand } from "../wiring/launch.js";
import { commandSummaries } from "./summaries.js";

/** `restager launch [FILE|-]` (also `launch`): run a desired LRP's instances like a Diego cell. */
export function launchCommand(output: Output): CommandModule<object, LaunchArgs> {
  return {
    ...commandSummaries.launch,
    builder: (yargs) => launchOptions(yargs),
    handler: (args) => runLaunchCommand(output, args),
  };
}

function launchOptions(yargs: Argv): Argv<LaunchArgs> {
  return withTlsFlags(runOptions(containerOptions(yargs)))
    .conflicts("attach", "dry-run")
    .example("launch_req --log nsync.log | launch", "Run the latest desired LRP, detached")
    .example("launch lrp.json --attach --instances 2", "Two instances; logs until Ctrl-C")
    .example("launch lrp.json --dry-run", "The equivalent docker run lines (secrets masked)")
    .example(
      "launch lrp.json --output k8s --out app.yaml",
      "A StatefulSet (pod ordinal = index) and Services",
    )
    .epilogue(launchEpilogue) as unknown as Argv<LaunchArgs>;
}

/** What the containers are: input, image, instances, network, ports, env, SSH, timeout. */
function containerOptions(yargs: Argv): Argv {
  return yargs
    .positional("file", {
      type: "string",
      describe: "Desired LRP JSON, cfdot output or lager log lines; '-' or omitted reads stdin",
    })
    .option("app", { type: "string", describe: "With log input: pick this app's latest LRP" })
    .option("image", {
      type: "string",
      describe: "Image to run (default: the image of the LRP's droplet, built when missing)",
    })
    .option("stack", {
      type: "string",
      array: true,
      default: [] as string[],
      describe: "Map a preloaded stack to an image: NAME=IMAGE (default restager/NAME:latest)",
    })
    .option("cache-dir", {
      type: "string",
      describe: "Download cache (default $XDG_CACHE_HOME/restager or ~/.cache/restager)",
    })
    .option("trusted-certs", {
      type: "string",
      describe:
        "Directory of CA certificates put at the LRP's trusted_system_certificates_path (default: the host's)",
    })
    .option("resolve", {
      type: "string",
      array: true,
      default: [] as string[],
      describe: "Send HOST[:PORT] to ADDR[:PORT], like curl --resolve (repeatable)",
    })
    .option("instances", { type: "number", describe: "How many instances (default: the LRP's)" })
    .option("network", { type: "string", describe: "Docker network of the instances" })
    .option("publish", {
      type: "string",
      array: true,
      requiresArg: true,
      default: [] as string[],
      describe: "[IP:]HOST:CONTAINER host port of an LRP port; instance i gets HOST+i (repeatable)",
    })
    .option("env", {
      alias: "e",
      type: "string",
      array: true,
      requiresArg: true,
      default: [] as string[],
      describe: "NAME=value, set last (a bare NAME passes restager's value) (repeatable)",
    })
    .option("env-file", {
      type: "string",
      array: true,
      requiresArg: true,
      default: [] as string[],
      describe: "File of NAME=value lines, as docker run reads it; before --env (repeatable)",
    })
    .option("keep-proxy", {
      type: "boolean",
      describe:
        "Keep proxy variables recorded empty (http_proxy, https_proxy, no_proxy). By default they " +
        "are dropped, or take restager's own value when it has one",
    })
    .option("with-ssh", {
      type: "boolean",
      describe: "Also start diego-sshd in each container and publish its port",
    })
    .option("start-timeout", {
      type: "number",
      describe: "Seconds to wait for health (default: the LRP's start timeout, else 60)",
    })
    .option("registry-user", {
      type: "string",
      requiresArg: true,
      describe:
        "Registry user for a Docker-image app's pull (else the LRP's image_username, else the Docker config)",
    })
    .option("registry-password-stdin", {
      type: "boolean",
      describe: "Read that user's registry password from stdin (the LRP then comes from a file)",
    })
    .option("insecure-registry", {
      type: "boolean",
      describe:
        "The app image's registry speaks plain HTTP: check that the engine allows it (127.0.0.0/8 always is)",
    });
}

/** How the instances run and what is printed: lifecycle, dry run, labels, other targets. */
function runOptions(yargs: Argv): Argv {
  return yargs
    .option("attach", {
      type: "boolean",
      describe: "Stream the instances' logs until Ctrl-C, then stop and remove them",
    })
    .option("detach", {
      type: "boolean",
      default: true,
      describe: "Return once the instances are healthy and leave them running (default)",
    })
    .option("dry-run", { type: "boolean", describe: "Print the equivalent docker run lines" })
    .option("label", {
      type: "string",
      array: true,
      requiresArg: true,
      default: [] as string[],
      describe: "KEY=VALUE label on every container (repeatable)",
    })
    .option("output", {
      choices: ["docker", "swarm", "k8s", "compose"] as const,
      default: "docker" as const,
      describe: "Where to run: local containers, a Swarm service, or write k8s / compose YAML",
    })
    .option("out", { type: "string", describe: "With k8s/compose: write the YAML to this file" })
    .option("k8s-kind", {
      choices: ["statefulset", "deployment"] as const,
      default: "statefulset" as const,
      describe:
        "With k8s: a StatefulSet (each pod's ordinal is its instance index) or a Deployment (index 0)",
    })
    .option("publish-mode", {
      choices: ["ingress", "host"] as const,
      default: "ingress" as const,
      describe: "With swarm: publish through the routing mesh, or on each node (host)",
    });
}

const launchEpilogue =
  "Each instance runs the run action's path and args as recorded, with the run action's env, " +
  "plus what Diego adds: INSTANCE_GUID/INDEX, CF_INSTANCE_GUID/INDEX (first), the LRP's env, " +
  "then CF_INSTANCE_IP (the Docker host as containers see it: the network's gateway), " +
  "CF_INSTANCE_INTERNAL_IP (the container's address, set at start), CF_INSTANCE_PORT, " +
  "CF_INSTANCE_ADDR, CF_INSTANCE_PORTS; then --env-file and --env. Proxy rule: " +
  "http_proxy/https_proxy/no_proxy recorded EMPTY (any case) are left out so they cannot " +
  "switch a proxy off, and take restager's own value when it has one; --keep-proxy keeps " +
  "them as recorded; non-empty values are always kept. memory_mb, cpu_weight (CPU shares) " +
  "and nofile are applied; disk_mb is not enforced. The image is the one built from the LRP's " +
  "droplet (sha256 label), else launch downloads the droplet and lifecycle and builds it; a " +
  "Docker-image app (rootfs docker://...) has its image pulled and the docker lifecycle added. " +
  "launch runs the health check (check_definition, else the monitor; plus readiness checks) " +
  "itself until it passes or the start timeout; crashed instances are stopped and kept for " +
  "'docker logs' (exit 1); running ones restart on a crash or a failed liveness check. " +
  "--attach: Ctrl-C stops and removes the " +
  "instances and exits 0. 'restager ps' lists launched apps, 'restager stop APP' removes them.";
