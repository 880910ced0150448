/**
 * Each command's name and one-line description, in help order: the top-level help, typo hints
 * and "name a command" errors need only these, so they are answered without loading any
 * command module (each one's imports: Docker, HTTP and archive clients).
 */
export const commandSummaries = {
  "build-req": {
    command: "build-req",
    describe: "Print the staging task request (Diego TaskDefinition JSON) found in stager logs",
  },
  "launch-req": {
    command: "launch-req",
    describe: "Print the desired LRP request (Diego DesiredLRP JSON) found in nsync-listener logs",
  },
  explain: {
    command: "explain [file]",
    describe: "Print a staging task or desired LRP as a readable plan (secrets redacted)",
  },
  restage: {
    command: "restage [file]",
    describe: "Execute a staging task definition on Docker, as a Diego cell would",
  },
  image: {
    command: "image",
    describe: "Build a runnable image from a droplet, the lifecycle and a stack image",
  },
  launch: {
    command: "launch [file]",
    describe: "Run a desired LRP on Docker as a Diego cell would (or on Swarm, k8s, compose)",
  },
  ps: {
    command: "ps",
    describe: "List the apps launched by restager (instances, state, URLs, image, age)",
  },
  stop: {
    command: "stop <app>",
    describe: "Stop and remove a launched app's containers (and its Swarm service)",
  },
  cache: {
    command: "cache <action>",
    describe: "List (ls) or remove (prune) the volumes, base images and downloads restager keeps",
  },
} as const;

export type CommandName = keyof typeof commandSummaries;
