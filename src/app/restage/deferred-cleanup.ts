/**
 * Cleanup work handed over to run in the background (restage's container removal) and awaited
 * later. A failure is held, never left unhandled meanwhile; settle() raises it when the run
 * itself succeeded (a failed run's own error is the one reported).
 */
export class DeferredCleanup {
  readonly #pending: Promise<unknown>[] = [];

  add(work: Promise<void>): void {
    this.#pending.push(
      work.then(
        () => undefined,
        (error: unknown) => ({ error }),
      ),
    );
  }

  /** Waits for all of it; rethrows the first failure when `raise`. */
  async settle(raise: boolean): Promise<void> {
    const results = await Promise.all(this.#pending);
    const failed = results.find(
      (result): result is { error: unknown } =>
        typeof result === "object" && result !== null && "error" in result,
    );
    if (raise && failed !== undefined) throw failed.error;
  }
}
