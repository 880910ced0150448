import type { ServerResponse } from "node:http";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { UnavailableError } from "../../../src/errors.js";
import { HttpTransport } from "../../../src/http/http-transport.js";
import { postJson } from "../../../src/http/post-json.js";
import { useRecordingServer } from "../../kit/loopback-server.js";

let respond: (res: ServerResponse, hit: number) => void;
let transport: HttpTransport;
const noSleep = { sleep: () => Promise.resolve(), random: () => 0 };
const http = useRecordingServer((res, hit) => respond(res, hit));

beforeEach(() => {
  transport = new HttpTransport({ idleTimeoutMs: 2000 });
});

afterEach(async () => {
  await transport.close();
});

describe("postJson", () => {
  it("posts JSON, retries 503 and returns the final status and body", async () => {
    respond = (res, hit) => {
      if (hit === 1) res.writeHead(503).end();
      else res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
    };
    const result = await postJson(
      `${http.base}/internal/v3/staging/g/build_completed`,
      { failed: false },
      {
        transport,
        timing: noSleep,
      },
    );
    expect(result).toEqual({ status: 200, bodyText: '{"ok":true}', attempts: 2 });
    expect(http.received[1]?.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(http.received[1]!.body.toString())).toEqual({ failed: false });
  });

  it("returns the last status when every attempt was refused", async () => {
    respond = (res) => res.writeHead(504).end("gateway");
    const result = await postJson(
      `${http.base}/cb`,
      {},
      { transport, timing: noSleep, maxAttempts: 2 },
    );
    expect(result).toEqual({ status: 504, bodyText: "gateway", attempts: 2 });
  });

  it("returns a 4xx without retrying", async () => {
    respond = (res) => res.writeHead(400).end("bad");
    const result = await postJson(`${http.base}/cb`, {}, { transport, timing: noSleep });
    expect(result.status).toBe(400);
    expect(http.received).toHaveLength(1);
  });

  it("fails with UnavailableError when the server cannot be reached", async () => {
    const failure = postJson("http://127.0.0.1:1/cb?secret=1", {}, { timing: noSleep });
    await expect(failure).rejects.toBeInstanceOf(UnavailableError);
    await expect(failure).rejects.toThrow("Could not post to http://127.0.0.1:1/cb?…");
  });
});
