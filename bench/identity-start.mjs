// One run of bench/identity-bench.ts: a process that, like `launch`, sets up its instance
// identity issuer at once, "starts a container" (a pause of --after ms), then asks for the
// identity. Prints, as JSON, the time from the process's start to the identity (ms, Node's
// performance clock, whose origin is the process's start) and the CPU the whole process used
// (every thread). Usage: node bench/identity-start.mjs DIST_DIR worker|in-process AFTER_MS CACHE
import { pathToFileURL } from "node:url";
import { join } from "node:path";

const [dist, mode, afterMs, cacheDir] = process.argv.slice(2);
const load = (file) => import(pathToFileURL(join(dist, file)).href);
const startedMs = performance.now();
let issuer;
if (mode === "worker") {
  const { identityIssuerInWorker } = await load("cli/identity-issuer-worker.js");
  issuer = identityIssuerInWorker(cacheDir);
} else {
  const { inProcessIssuer } = await load("cli/identity-issuer.js").catch(async () => {
    // Before the in-process issuer existed: the same thing from its parts.
    const { openIdentityCa } = await load("cli/identity-ca.js");
    const { caIssuer } = await load("identity/instance-identity.js");
    const ready = openIdentityCa(cacheDir).then(caIssuer);
    ready.catch(() => undefined);
    return { inProcessIssuer: () => ({ issue: async (r) => (await ready).issue(r) }) };
  });
  issuer = inProcessIssuer(cacheDir);
}
await new Promise((resolve) => setTimeout(resolve, Number(afterMs)));
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
