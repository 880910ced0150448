/**
 * Where the components that logged requests wrote their lager output, tried in this order when
 * neither --log nor piped stdin is given. Rotated siblings (`.1`, `.N.gz`) of each are read too.
 *
 * - BOSH cc_bridge VMs: `/var/vcap/sys/log/<job>/<process>.stdout.log`, job `stager` and job
 *   `nsync` with process `nsync_listener` (paths confirmed by cf-furnace, diego-reference.md §0.3).
 * - Some cf-release manifests colocated the bridge processes under one `cc_bridge` job, whose log
 *   directory then holds every process's file (a guess from the VM name, UNCONFIRMED).
 * - HCF dev boxes ran each process as its own role and logged `<process>.log` in a directory
 *   named after it (a guess from HCF's role layout, UNCONFIRMED).
 */
export const defaultLogPaths = {
  task: [
    "/var/vcap/sys/log/stager/stager.stdout.log",
    "/var/vcap/sys/log/cc_bridge/stager.stdout.log",
    "/var/vcap/sys/log/cc_bridge/stager/stager.stdout.log",
    "/var/vcap/sys/log/stager/stager.log",
  ],
  lrp: [
    "/var/vcap/sys/log/nsync/nsync_listener.stdout.log",
    "/var/vcap/sys/log/cc_bridge/nsync_listener.stdout.log",
    "/var/vcap/sys/log/cc_bridge/nsync/nsync_listener.stdout.log",
    "/var/vcap/sys/log/nsync-listener/nsync-listener.log",
    "/var/vcap/sys/log/nsync/nsync-listener.log",
  ],
} as const satisfies Record<"task" | "lrp", readonly string[]>;
