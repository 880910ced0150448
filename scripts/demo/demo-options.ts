/** The demo's command line: `vite-node scripts/demo.ts [--keep] [--help]`. */

export interface DemoOptions {
  /** Leave the app running at the end (the fake Cloud Foundry still stops). */
  keep: boolean;
  help: boolean;
}

export const demoUsage = `Usage: npm run demo [-- --keep]

Replays a staging and a launch on this machine's Docker engine, against a fake Cloud Foundry:
starts the fake (file server, blobstore, cc-uploader, Cloud Controller, stager), writes the log
lines the patched stager and nsync write, runs 'build_req | restage' and 'launch_req | launch',
calls the app over HTTP, then stops it.

  --keep   leave the app running (stop it later with: node dist/bin/restager.js stop demo-app)
  --help   this text`;

/** Parses argv (without node and the script); throws with the usage on anything unknown. */
export function parseDemoOptions(argv: readonly string[]): DemoOptions {
  const options: DemoOptions = { keep: false, help: false };
  for (const arg of argv) {
    if (arg === "--keep") options.keep = true;
    else if (arg === "--help" || arg === "-h") options.help = true;
    else throw new Error(`unknown argument '${arg}'\n\n${demoUsage}`);
  }
  return options;
}
