/**
 * Instance identities issued in a worker thread (./identity-worker.ts), for `launch`: the
 * worker loads the X.509 library (~0.3 s of CPU), opens the local CA and makes the first key
 * while this thread creates and starts the containers, so that an instance's credentials are
 * only signed once its address is known. The worker never keeps the process alive, and ends
 * when it has been idle for a second after an answer.
 */
import { Worker } from "node:worker_threads";
import { packageFile } from "./package-files.js";
import { InternalError, RestagerError, type ExitCodeValue } from "../errors.js";
import type {
  IdentityIssuer,
  InstanceIdentity,
  InstanceIdentityRequest,
} from "../identity/instance-identity.js";

/** A request to the worker. */
export interface IssueAsk {
  id: number;
  request: InstanceIdentityRequest;
}

/** The worker's answer to the request of the same id. */
export interface IssueAnswer {
  id: number;
  issued?: InstanceIdentity;
  error?: { message: string; exitCode?: ExitCodeValue; hint?: string | undefined };
}

interface Waiting {
  resolve: (issued: InstanceIdentity) => void;
  reject: (error: Error) => void;
}

/**
 * A worker holds its own V8 heap and the X.509 library (~35 MB of RSS): once it has been idle
 * this long after an answer, it ends, and a later request starts a new one.
 */
const idleEndMs = 1_000;

export function identityIssuerInWorker(cacheDir: string): IdentityIssuer {
  let current: ReturnType<typeof startWorker> | undefined;
  const start = () =>
    startWorker(cacheDir, () => {
      current = undefined;
    });
  current = start();
  return {
    issue: (request) => (current ??= start()).issue(request),
    close: () => {
      current?.end();
      current = undefined;
    },
  };
}

function startWorker(cacheDir: string, onEnd: () => void) {
  const worker = new Worker(packageFile("dist/cli/identity-worker.js"), {
    workerData: { cacheDir },
  });
  const waiting = new Map<number, Waiting>();
  let nextId = 0;
  let failure: Error | undefined;
  let idle: NodeJS.Timeout | undefined;
  let ending = false;
  const failAll = (error: Error) => {
    failure ??= error;
    for (const { reject } of waiting.values()) reject(error);
    waiting.clear();
    worker.unref();
  };
  worker.on("message", (answer: IssueAnswer) => {
    const asked = waiting.get(answer.id);
    waiting.delete(answer.id);
    if (waiting.size === 0) {
      worker.unref();
      idle = setTimeout(() => {
        ending = true;
        onEnd();
        void worker.terminate();
      }, idleEndMs).unref();
    }
    if (answer.issued) asked?.resolve(answer.issued);
    else asked?.reject(errorOf(answer.error));
  });
  worker.on("error", (error) =>
    failAll(new InternalError("the identity worker failed", { cause: error })),
  );
  worker.on("exit", (code) => {
    if (!ending) failAll(new InternalError(`the identity worker ended (${code})`));
  });
  // Referenced only while a request waits (after the listeners: adding one references it).
  worker.unref();
  return {
    /** Ends the worker now; requests still waiting fail. */
    end: () => {
      if (ending) return;
      ending = true;
      clearTimeout(idle);
      failAll(new InternalError("the identity worker was closed"));
      void worker.terminate();
    },
    issue: (request: InstanceIdentityRequest) =>
      new Promise<InstanceIdentity>((resolve, reject) => {
        if (failure) return reject(failure);
        clearTimeout(idle);
        const id = nextId++;
        waiting.set(id, { resolve, reject });
        worker.ref();
        worker.postMessage({ id, request } satisfies IssueAsk);
      }),
  };
}

function errorOf(error: IssueAnswer["error"]): Error {
  if (error?.exitCode === undefined) {
    return new InternalError(`issuing an instance identity failed: ${error?.message ?? "?"}`);
  }
  return new RestagerError(error.message, error.exitCode, { hint: error.hint });
}
