/** The composition root of `build-req` / `launch-req`: stdin and the Output as the sink. */
import { findRequest, type FindRequest } from "../../app/find-request.js";
import type { Output } from "../output.js";

export async function runFindRequest(output: Output, request: FindRequest): Promise<void> {
  // Named logs are all that is read: stdin is not touched (creating it costs start-up time).
  const stdin = request.files.length > 0 ? undefined : output.stdin;
  await findRequest(request, { stdin, sink: output });
}
