/**
 * The demo's fixed names. The app guid is constant so that a second run finds (and replaces)
 * what a first `--keep` run left, and so that the launcher image, being reproducible, keeps its
 * id and tags from one run to the next.
 */
export const demoApp = {
  name: "demo-app",
  guid: "de30de30-0000-4000-8000-00000000de30",
  /** Fixture app (fixtures/apps) and buildpacks (fixtures/buildpacks), in detect order. */
  fixture: "hello-static",
  buildpacks: ["never", "static"],
  instances: 2,
  memoryMb: 256,
} as const;

/** Log file names, as on a cc_bridge VM (/var/vcap/sys/log/<job>/). */
export const logFiles = {
  stager: "stager.stdout.log",
  nsync: "nsync_listener.stdout.log",
} as const;

/** What the fixture app's index page says; step 5 and the demo's test look for it. */
export const expectedGreeting = "Hello from restager";
