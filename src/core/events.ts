/**
 * The event shapes every layer may emit: diagnostics for --verbose (Logger) and structured
 * progress for spinners and status lines (ProgressEvent). Only the CLI turns them into output.
 */

/** Diagnostics (shown with --verbose), lager style: kebab-case event plus data. */
export interface Logger {
  debug(event: string, data?: Record<string, unknown>): void;
}

export type ProgressEvent =
  | { kind: "download-start"; artifact: string; totalBytes?: number | undefined }
  | { kind: "download-progress"; artifact: string; bytes: number; totalBytes?: number | undefined }
  | { kind: "download-done"; artifact: string; bytes: number; cached: boolean }
  | { kind: "upload-start"; artifact: string; totalBytes: number }
  | { kind: "upload-progress"; artifact: string; bytes: number; totalBytes: number }
  | { kind: "upload-done"; artifact: string; bytes: number }
  | { kind: "phase"; name: string };
