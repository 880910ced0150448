import { createHash } from "node:crypto";
import type { ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CancelledError, ExitCode } from "../../../src/errors.js";
import { UploadError } from "../../../src/http/http-errors.js";
import { HttpUploader } from "../../../src/http/http-uploader.js";
import type { UploadRequest } from "../../../src/http/ports.js";
import { HttpTransport } from "../../../src/http/http-transport.js";
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

const payload = Buffer.from("droplet.tgz contents ".repeat(5000));

function uploadRequest(url: string, extra: Partial<UploadRequest> = {}): UploadRequest {
  return {
    url,
    body: () => Readable.from([payload.subarray(0, 1000), payload.subarray(1000)]),
    sizeBytes: payload.length,
    md5Base64: createHash("md5").update(payload).digest("base64"),
    sha256Base64: createHash("sha256").update(payload).digest("base64"),
    ...extra,
  };
}

describe("HttpUploader", () => {
  it("POSTs the bytes with exact headers and no chunked encoding; 201 is success", async () => {
    respond = (res) => res.writeHead(201).end();
    const uploader = new HttpUploader({ transport, timing: noSleep });
    const url = `${http.base}/v1/droplet/guid?cc-droplet-upload-uri=http%3A%2F%2Fcc%2Fd&timeout=900`;
    const result = await uploader.upload(uploadRequest(url));
    expect(result).toEqual({ status: 201, attempts: 1 });
    const [request] = http.received;
    expect(request?.method).toBe("POST");
    expect(request?.url).toBe(
      "/v1/droplet/guid?cc-droplet-upload-uri=http%3A%2F%2Fcc%2Fd&timeout=900",
    );
    expect(request?.headers["content-type"]).toBe("application/octet-stream");
    expect(request?.headers["content-length"]).toBe(String(payload.length));
    expect(request?.headers["transfer-encoding"]).toBeUndefined();
    expect(request?.headers["content-md5"]).toBe(
      createHash("md5").update(payload).digest("base64"),
    );
    expect(request?.headers["content-digest"]).toBe(
      `sha-256=:${createHash("sha256").update(payload).digest("base64")}:`,
    );
    expect(request?.body.equals(payload)).toBe(true);
  });

  it("retries a 500 with a fresh body and succeeds with 200", async () => {
    respond = (res, hit) => res.writeHead(hit < 3 ? 500 : 200).end();
    const uploader = new HttpUploader({ transport, timing: noSleep });
    const result = await uploader.upload(uploadRequest(`${http.base}/v1/build_artifacts/g`));
    expect(result).toEqual({ status: 200, attempts: 3 });
    expect(http.received.map((r) => r.body.length)).toEqual([
      payload.length,
      payload.length,
      payload.length,
    ]);
  });

  it("fails with UploadError after 3 attempts, keeping the response body in the cause", async () => {
    respond = (res) => res.writeHead(502).end(`status code: 502\n${"x".repeat(5000)}`);
    const uploader = new HttpUploader({ transport, timing: noSleep });
    const url = `http://user:hunter2@127.0.0.1:${new URL(http.base).port}/v1/droplet/g?token=secret`;
    const error = (await uploader
      .upload(uploadRequest(url))
      .catch((e: unknown) => e)) as UploadError;
    expect(error).toBeInstanceOf(UploadError);
    expect(error.exitCode).toBe(ExitCode.uploadFailed);
    expect(error.status).toBe(502);
    expect(error.message).toBe("Upload failed: Status code 502");
    expect(error.hint).toContain(
      `(POST http://***@127.0.0.1:${new URL(http.base).port}/v1/droplet/g?…)`,
    );
    const cause = (error.cause as Error).message;
    expect(cause).toContain("status code: 502");
    expect(cause.length).toBeLessThan(1100);
    expect(http.received).toHaveLength(3);
    expect(http.received[0]?.headers.authorization).toBe(
      `Basic ${Buffer.from("user:hunter2").toString("base64")}`,
    );
  });

  it("retries a 4xx too, as the executor retries every failure, then fails", async () => {
    respond = (res) => res.writeHead(411).end("Missing Content Length");
    const uploader = new HttpUploader({ transport, timing: noSleep });
    await expect(uploader.upload(uploadRequest(`${http.base}/u`))).rejects.toThrow(
      /^Upload failed: Status code 411$/,
    );
    expect(http.received).toHaveLength(3);
  });

  it("takes any status below 400 as success", async () => {
    respond = (res) => res.writeHead(204).end();
    const uploader = new HttpUploader({ transport, timing: noSleep });
    expect(await uploader.upload(uploadRequest(`${http.base}/u`))).toEqual({
      status: 204,
      attempts: 1,
    });
  });

  it("retries at once, without backoff", async () => {
    respond = (res, hit) => res.writeHead(hit < 3 ? 503 : 201).end();
    const delays: number[] = [];
    const sleep = (ms: number) => {
      delays.push(ms);
      return Promise.resolve();
    };
    const uploader = new HttpUploader({ transport, timing: { sleep } });
    expect(await uploader.upload(uploadRequest(`${http.base}/u`))).toEqual({
      status: 201,
      attempts: 3,
    });
    expect(delays).toEqual([0, 0]);
  });

  it("retries when the server cannot be reached, then fails with UploadError", async () => {
    const uploader = new HttpUploader({ transport, timing: noSleep });
    let opened = 0;
    const request = uploadRequest("http://127.0.0.1:1/u", {
      body: () => {
        opened++;
        return Readable.from([payload]);
      },
    });
    const error = (await uploader.upload(request).catch((e: unknown) => e)) as UploadError;
    expect(error).toBeInstanceOf(UploadError);
    expect(error.status).toBeUndefined();
    expect(opened).toBe(3);
  });

  it("reports progress and honours cancellation", async () => {
    respond = (res) => res.writeHead(201).end();
    const uploader = new HttpUploader({ transport, timing: noSleep });
    const progress: number[] = [];
    await uploader.upload(uploadRequest(`${http.base}/p`, { onProgress: (b) => progress.push(b) }));
    expect(progress.at(-1)).toBe(payload.length);
    const controller = new AbortController();
    controller.abort();
    await expect(
      uploader.upload(uploadRequest(`${http.base}/p`, { signal: controller.signal })),
    ).rejects.toBeInstanceOf(CancelledError);
  });
});
