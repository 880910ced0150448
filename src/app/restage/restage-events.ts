import type { CallbackSent } from "./post-callback.js";

/**
 * What a restage tells as it goes, besides progress: what exists (for the interrupt handler's
 * "what is left" lines) and the callback's answer.
 */
export type RestageEvent =
  /** The staging container exists. */
  | { type: "container-created"; id: string }
  /** This run's temporary directory (src/app/restage/run-temp-dir.ts). */
  | { type: "temp-dir"; path: string }
  | ({ type: "callback-sent" } & CallbackSent);
