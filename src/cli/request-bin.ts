/**
 * What the build_req and launch_req bins run. They are bundled into one file each with
 * everything their usual spellings need (scripts/bundle-cli.mjs): a cold start then loads that
 * file alone, where going through entry.ts loaded eight chunks (issue 14 goal 4). Anything the
 * fast path does not read (help, --version, yargs' spellings) goes to entry.ts's run.
 */
import { parseFastRequest, processIo, runFastRequest } from "./request-fast-path.js";

export async function runRequestBin(argv: string[]): Promise<number> {
  const request = parseFastRequest(argv);
  if (request === undefined) {
    const { run } = await import("./entry.js");
    return run(argv);
  }
  return runFastRequest(request, processIo());
}
