import { describe, expect, it } from "vitest";
import { DockerFrames } from "../../../src/container/docker-frames.js";

function frame(stream: number, text: string): Buffer {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header.writeUInt8(stream, 0);
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

function collect() {
  const seen: string[] = [];
  const frames = new DockerFrames({
    stdout: (c) => seen.push(`out:${c.toString()}`),
    stderr: (c) => seen.push(`err:${c.toString()}`),
  });
  return { seen, frames };
}

describe("DockerFrames", () => {
  it("routes frames to stdout and stderr", () => {
    const { seen, frames } = collect();
    frames.push(Buffer.concat([frame(1, "a"), frame(2, "b"), frame(1, "c")]));
    expect(seen).toEqual(["out:a", "err:b", "out:c"]);
    expect(frames.truncated).toBe(false);
  });

  it("reassembles frames split at every byte", () => {
    const { seen, frames } = collect();
    const bytes = Buffer.concat([frame(2, "hello"), frame(1, "world")]);
    for (const byte of bytes) frames.push(Buffer.from([byte]));
    expect(seen.join("")).toBe("err:herr:eerr:lerr:lerr:oout:wout:oout:rout:lout:d");
  });

  it("delivers a frame's payload before the frame is complete", () => {
    const { seen, frames } = collect();
    const whole = frame(1, "abcdef");
    frames.push(whole.subarray(0, 11));
    expect(seen).toEqual(["out:abc"]);
    expect(frames.truncated).toBe(true);
    frames.push(whole.subarray(11));
    expect(seen).toEqual(["out:abc", "out:def"]);
    expect(frames.truncated).toBe(false);
  });

  it("skips empty frames", () => {
    const { seen, frames } = collect();
    frames.push(Buffer.concat([frame(1, ""), frame(2, "x")]));
    expect(seen).toEqual(["err:x"]);
  });
});
