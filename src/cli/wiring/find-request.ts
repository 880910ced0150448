/** The composition root of `build-req` / `launch-req`: stdin and the Output as the sink. */
import { findRequest, type FindRequest } from "../../app/find-request.js";
import type { Output } from "../output.js";

export async function runFindRequest(output: Output, request: FindRequest): Promise<void> {
  await findRequest(request, { stdin: output.stdin, sink: output });
}
