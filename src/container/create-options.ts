/** The engine request that creates an idle container from a ContainerSpec. */
import type Docker from "dockerode";
import type { ContainerSpec, VolumeMount } from "./container.js";
import { hostConfig } from "./host-config.js";
import { LabelKey } from "../core/labels.js";

/**
 * PID 1 of every container: sleeps until TERM, and exits at once on it (a shell without a
 * trap ignores TERM as PID 1, which would make `docker stop` wait its full timeout). Work
 * happens in execs; the container only has to stay up.
 */
export const idleEntrypoint = [
  "/bin/sh",
  "-c",
  "trap 'exit 0' TERM; while :; do sleep 3600 & wait $!; done",
];

/**
 * PID 1 of a container bound to its owner (ContainerSpec.boundToOwner): as idleEntrypoint, and
 * it also exits when its stdin reaches end of file. restager attaches to that stdin before the
 * start and never writes to it; the engine closes it when restager's connection goes away
 * (StdinOnce), however restager ended, and AutoRemove then removes the container. This needs
 * nothing but the engine connection, so it holds when restager runs in a container too. (A
 * background list gets /dev/null as stdin unless redirected, hence fd 3.)
 */
export const boundEntrypoint = [
  "/bin/sh",
  "-c",
  "trap 'exit 0' TERM; exec 3<&0; (while read -r _; do :; done) <&3 & wait $!",
];

/**
 * No bind mounts, ever: restager must behave the same when it runs inside a container with
 * only the Docker socket mounted, where host paths mean nothing. Files go in with putArchive,
 * or live in named volumes (which the engine resolves, wherever restager runs).
 */
export function createOptions(spec: ContainerSpec): Docker.ContainerCreateOptions {
  const bound = spec.boundToOwner === true;
  const config = hostConfig({
    memoryMb: spec.memoryMb,
    cpuShares: spec.cpuShares,
    nofile: spec.nofile,
    maxPids: spec.maxPids,
    network: spec.network,
    extraHosts: spec.extraHosts,
    autoRemove: bound,
    mounts: spec.volumes?.map((volume) => volumeMount(volume)),
  });
  return {
    ...(spec.name !== undefined ? { name: spec.name } : {}),
    Image: spec.image,
    ...(spec.hostname !== undefined ? { Hostname: spec.hostname } : {}),
    Entrypoint: bound ? boundEntrypoint : idleEntrypoint,
    ...(bound ? { OpenStdin: true, StdinOnce: true, AttachStdin: true } : {}),
    // $0 of the idle shell, so `ps` in the container says what it is.
    Cmd: ["restager-idle"],
    User: "root",
    WorkingDir: "/",
    Env: [...spec.env],
    Labels: { ...spec.labels, [LabelKey.managed]: "true" },
    HostConfig: config,
  };
}

/** NoCopy: the volume hides what the image has at the target, as Diego's bind mounts do. */
function volumeMount(volume: VolumeMount): Docker.MountSettings {
  return {
    Type: "volume",
    Source: volume.name,
    Target: volume.target,
    ReadOnly: volume.readOnly,
    // dockerode's type wants every volume option; the engine takes any subset.
    VolumeOptions: { NoCopy: true } as Docker.MountSettings["VolumeOptions"],
  };
}
