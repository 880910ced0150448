/**
 * `npm run demo`: restager end to end on this machine, against a bundled fake Cloud Foundry.
 *
 *   1. start the fake CF (file server, blobstore, cc-uploader, Cloud Controller, stager) serving
 *      the fixture lifecycle, buildpacks and app;
 *   2. write the log lines the patched stager and nsync write;
 *   3. `build_req --log stager.stdout.log | restage` (stage, upload the droplet, build the image);
 *   4. `launch_req --log nsync_listener.stdout.log | launch --json` (two instances);
 *   5. GET every instance over HTTP;
 *   6. `restager stop demo-app` and stop the fake CF (`--keep` leaves the app running).
 *
 * Runs the BUILT CLI (`npm run build` first; `npm run demo` does it after making the machine
 * ready). Exits 0 when every step worked, 1 when one failed, 130 when interrupted, 2 on bad
 * arguments; it cleans up in every case. Safe to run again: every run uses fresh directories,
 * and the launcher image is reproducible.
 */
import { demoApp } from "./demo/demo-app.js";
import { demoUsage, parseDemoOptions, type DemoOptions } from "./demo/demo-options.js";
import { DemoSteps } from "./demo/demo-steps.js";
import { seconds, StepPrinter } from "./demo/step-printer.js";

async function runDemo(options: DemoOptions, signal: AbortSignal): Promise<number> {
  const printer = new StepPrinter(6);
  const steps = new DemoSteps(printer, signal);
  const started = performance.now();
  printer.line("restager demo: stage and run an app on Docker from a fake Cloud Foundry's logs\n");
  let finished = false;
  try {
    await printer.step("Starting a fake Cloud Foundry", () => steps.startFakeCf());
    await printer.step("Writing the patched stager's and nsync's log lines", () =>
      steps.writeLogs(),
    );
    await printer.step("Restaging the app from the stager log", () => steps.restage());
    await printer.step("Launching the app from the nsync log", () => steps.launch());
    await printer.step("Calling the app over HTTP", () => steps.callApp());
    finished = true;
    const title = options.keep ? "Stopping the fake Cloud Foundry (--keep)" : "Cleaning up";
    await printer.step(title, () => steps.cleanUp({ keep: options.keep, afterFailure: false }));
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    printer.line(signal.aborted ? "\ndemo interrupted" : `\ndemo FAILED: ${why}`);
    if (!finished) await cleanUpAfterFailure(steps, printer);
    return signal.aborted ? 130 : 1;
  }
  printer.line(`\nDemo finished in ${seconds(performance.now() - started)}.`);
  printer.line(`The launcher image stays: docker run -p 8080:8080 restager/${demoApp.name}`);
  return 0;
}

/** Stops the app if launch was started and the fake CF, whatever failed before. */
async function cleanUpAfterFailure(steps: DemoSteps, printer: StepPrinter): Promise<void> {
  printer.line("==> cleaning up ...");
  try {
    await steps.cleanUp({ keep: false, afterFailure: true });
  } catch (error) {
    printer.detail(`cleanup failed too: ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function main(argv: string[]): Promise<number> {
  let options: DemoOptions;
  try {
    options = parseDemoOptions(argv);
  } catch (error) {
    process.stderr.write(`demo: ${(error as Error).message}\n`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(`${demoUsage}\n`);
    return 0;
  }
  const controller = new AbortController();
  const interrupt = () => controller.abort(new Error("interrupted"));
  process.once("SIGINT", interrupt);
  process.once("SIGTERM", interrupt);
  try {
    return await runDemo(options, controller.signal);
  } finally {
    process.off("SIGINT", interrupt);
    process.off("SIGTERM", interrupt);
  }
}

process.exitCode = await main(process.argv.slice(2));
