import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import {
  EngineStreamError,
  jsonMessages,
  type JsonMessage,
} from "../../../src/container/json-messages.js";

async function collect(chunks: string[]): Promise<JsonMessage[]> {
  const out: JsonMessage[] = [];
  for await (const message of jsonMessages(Readable.from(chunks.map((c) => Buffer.from(c))))) {
    out.push(message);
  }
  return out;
}

describe("jsonMessages", () => {
  it("yields one message per line, even when lines are split across chunks", async () => {
    const messages = await collect([
      '{"status":"Pushing","id":"abc","progressDetail":{"current":5,"total":10}}\r\n{"str',
      'eam":"Loaded image: x:y\\n"}\n',
      '{"aux":{"Digest":"sha256:1"}}',
    ]);
    expect(messages).toEqual([
      { status: "Pushing", id: "abc", progressDetail: { current: 5, total: 10 } },
      { stream: "Loaded image: x:y\n" },
      { aux: { Digest: "sha256:1" } },
    ]);
  });

  it("ends with EngineStreamError carrying the engine's words when a message holds an error", async () => {
    const run = collect([
      '{"status":"Preparing"}\n',
      '{"errorDetail":{"message":"connection refused"},"error":"connection refused"}\n',
    ]);
    await expect(run).rejects.toThrow(EngineStreamError);
    await expect(run).rejects.toThrow("connection refused");
  });

  it("keeps a line that is not JSON as a stream message", async () => {
    expect(await collect(["plain words\n"])).toEqual([{ stream: "plain words" }]);
  });
});
