/** Progress lines of a benchmark run, on stderr (stdout carries the tables). */
export function progress(text: string): void {
  console.error(`[bench] ${text}`);
}
