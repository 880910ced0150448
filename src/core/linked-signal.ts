import { setMaxListeners } from "node:events";

/**
 * A signal that aborts, with the same reason, when `parent` does, and that `maxListeners`
 * listeners may watch at once. docker-modem and undici add an abort listener per request in
 * flight, so ten concurrent requests on one signal trip Node's MaxListenersExceededWarning,
 * a leak warning that is no leak here. The parent gets one listener, removed by dispose().
 */
export class LinkedSignal {
  readonly #controller = new AbortController();
  readonly #parent: AbortSignal;
  readonly #onAbort = (): void => this.#controller.abort(this.#parent.reason);

  constructor(parent: AbortSignal, maxListeners: number) {
    this.#parent = parent;
    setMaxListeners(maxListeners, this.#controller.signal);
    if (parent.aborted) this.#onAbort();
    else parent.addEventListener("abort", this.#onAbort, { once: true });
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Aborts this signal only (not the parent). */
  abort(reason?: unknown): void {
    this.#controller.abort(reason);
  }

  /** Stops following the parent; call once the work under this signal is over. */
  dispose(): void {
    this.#parent.removeEventListener("abort", this.#onAbort);
  }
}
