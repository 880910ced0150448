/**
 * Step 5: what `launch --json` reported, and an HTTP GET of every instance's URL, as a router
 * (or a user with curl) would do.
 */
import { expectedGreeting } from "./demo-app.js";

export interface LaunchedInstance {
  index: number;
  state: string;
  urls: string[];
}

/** The instances of `launch --json`'s stdout; throws when it is not that report. */
export function parseLaunchReport(stdout: string): LaunchedInstance[] {
  const report = JSON.parse(stdout) as { instances?: unknown };
  if (!Array.isArray(report.instances)) throw new Error("launch --json printed no instances");
  return report.instances as LaunchedInstance[];
}

export interface AppAnswer {
  url: string;
  status: number;
  /** The page's headline (its <h1>), else its first non-empty line. */
  headline: string;
}

/** GETs `url` (10 s at most); throws unless it answers 200 with the fixture's greeting. */
export async function callApp(url: string, signal: AbortSignal): Promise<AppAnswer> {
  const response = await fetch(url, {
    signal: AbortSignal.any([signal, AbortSignal.timeout(10_000)]),
  });
  const body = await response.text();
  const answer = { url, status: response.status, headline: headlineOf(body) };
  if (response.status !== 200 || !body.includes(expectedGreeting)) {
    throw new Error(`${url} answered ${response.status} without "${expectedGreeting}"`);
  }
  return answer;
}

function headlineOf(body: string): string {
  const h1 = /<h1>([^<]*)<\/h1>/i.exec(body)?.[1];
  return (h1 ?? body.split("\n").find((line) => line.trim() !== "") ?? "").trim();
}
