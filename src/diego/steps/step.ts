/**
 * A Step performs one Diego action.
 *
 * - run() resolves when the action succeeded and rejects when it failed.
 * - When `signal` aborts, the step stops promptly, releases what it holds, and rejects with
 *   CancelledError (or an error whose `cause` is one).
 * - A step whose signal is already aborted must not start any work.
 * - run() is called at most once per instance.
 */
export interface Step {
  run(signal: AbortSignal): Promise<void>;
}
