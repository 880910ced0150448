/**
 * The worker thread behind identityIssuerInWorker (./identity-issuer-worker.ts): it opens the
 * local identity CA of the cache directory it is given (loading the X.509 library) and keeps a
 * key ready, while the main thread goes on starting containers; then it answers issue requests.
 * A failure travels back as the message, exit code and hint of the error.
 */
import { parentPort, workerData } from "node:worker_threads";
import { RestagerError } from "../errors.js";
import {
  caIssuer,
  type IdentityIssuer,
  type InstanceIdentityRequest,
} from "../identity/instance-identity.js";
import { openIdentityCa } from "./identity-ca.js";
import type { IssueAnswer, IssueAsk } from "./identity-issuer-worker.js";

const port = parentPort;
const { cacheDir } = workerData as { cacheDir: string };
const issuer: Promise<IdentityIssuer> = openIdentityCa(cacheDir).then(caIssuer);
issuer.catch(() => undefined); // met again by every request

port?.on("message", (ask: IssueAsk) => void answer(ask.id, ask.request));

async function answer(id: number, request: InstanceIdentityRequest): Promise<void> {
  let reply: IssueAnswer;
  try {
    reply = { id, issued: await (await issuer).issue(request) };
  } catch (error) {
    reply = { id, error: describe(error) };
  }
  port?.postMessage(reply);
}

function describe(error: unknown): NonNullable<IssueAnswer["error"]> {
  if (error instanceof RestagerError) {
    return { message: error.message, exitCode: error.exitCode, hint: error.hint };
  }
  return { message: error instanceof Error ? error.message : String(error) };
}
