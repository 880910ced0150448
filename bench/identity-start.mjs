/* global process, performance, setTimeout, console */
// One run of bench/identity-bench.ts: a process that, like `launch`, sets up its instance
// identity issuer at once, "starts a container" (a pause of --after ms), then asks for the
// identity. Prints, as JSON, the time from the process's start to the identity (ms, Node's
// performance clock, whose origin is the process's start) and the CPU the whole process used
// (every thread). With `early-end` last, the run ends after the pause without asking (a launch
// failing before its first instance: it closes the issuer and returns) and prints how long the
// process took from there to its exit (a key still being made holds the exit back).
// Usage: node bench/identity-start.mjs DIST_DIR worker|in-process AFTER_MS CACHE [early-end]
import { pathToFileURL } from "node:url";
import { join } from "node:path";

const [dist, mode, afterMs, cacheDir, ending] = process.argv.slice(2);
const load = (file) => import(pathToFileURL(join(dist, file)).href);
const startedMs = performance.now();
let issuer;
if (mode === "worker") {
  const { identityIssuerInWorker } = await load("cli/identity-issuer-worker.js");
  issuer = identityIssuerInWorker(cacheDir);
} else {
  const { identityIssuer } = await load("cli/identity-issuer.js").catch(async () => {
    // A build from before the in-process issuer: the same thing from its parts.
    const { openIdentityCa } = await load("cli/identity-ca.js");
    const { caIssuer } = await load("identity/instance-identity.js");
    const ready = openIdentityCa(cacheDir).then(caIssuer);
    ready.catch(() => undefined);
    return { identityIssuer: () => ({ issue: async (r) => (await ready).issue(r) }) };
  });
  issuer = identityIssuer(cacheDir);
}
await new Promise((resolve) => setTimeout(resolve, Number(afterMs)));
if (ending === "early-end") {
  issuer.close?.();
  const endMs = performance.now();
  process.on("exit", () => {
    console.log(JSON.stringify({ endMs, exitDelayMs: performance.now() - endMs }));
  });
  // What is left runs until the loop is empty, as in a command's end.
} else {
  const askedMs = performance.now();
  await issuer.issue({
    containerGuid: "6f1d0b5e-7a3c-4b1e-9c2d-0e1f2a3b4c5d",
    containerIp: "172.17.0.5",
    organizationalUnits: ["organization:o", "space:s", "app:a"],
  });
  const issuedMs = performance.now();
  issuer.close?.();
  const cpu = process.cpuUsage();
  console.log(
    JSON.stringify({
      setupMs: startedMs,
      identityMs: issuedMs,
      waitedMs: issuedMs - askedMs,
      cpuMs: (cpu.user + cpu.system) / 1000,
    }),
  );
}
