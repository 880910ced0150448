import { describe, expect, it } from "vitest";
import { PidLine } from "../../../src/container/pid-line.js";

describe("PidLine", () => {
  it("takes the first line as the PID and passes the rest through", () => {
    const line = new PidLine();
    expect(line.push(Buffer.from("12")).toString()).toBe("");
    expect(line.pid).toBeUndefined();
    expect(line.push(Buffer.from("34\nfirst err")).toString()).toBe("first err");
    expect(line.pid).toBe(1234);
    expect(line.push(Buffer.from("\nmore")).toString()).toBe("\nmore");
    expect(line.finish().toString()).toBe("");
  });

  it("gives up on a first line that is not a PID, losing nothing", () => {
    const line = new PidLine();
    expect(line.push(Buffer.from("sh: oops\n")).toString()).toBe("sh: oops\n");
    expect(line.pid).toBeUndefined();
  });

  it("releases held bytes when the stream ends early", () => {
    const line = new PidLine();
    expect(line.push(Buffer.from("99")).toString()).toBe("");
    expect(line.finish().toString()).toBe("99");
    expect(line.pid).toBeUndefined();
  });
});
