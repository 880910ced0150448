/**
 * Runs the CLI in-process (`main`) with captured stdout and stderr and no stdin (a terminal
 * with nothing typed), for tests of parsing and messages that need no Docker.
 */
import { PassThrough, Readable } from "node:stream";
import { main } from "../../src/cli/main.js";

export interface MainRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runMain(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<MainRun> {
  const capture = () => {
    const stream = new PassThrough();
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    return { stream, text: () => Buffer.concat(chunks).toString("utf8") };
  };
  const stdout = capture();
  const stderr = capture();
  const stdin = Object.assign(Readable.from([]), { isTTY: true });
  const code = await main(argv, { stdin, stdout: stdout.stream, stderr: stderr.stream, env });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}
