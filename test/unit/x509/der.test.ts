import { describe, expect, it } from "vitest";
import {
  directoryString,
  namedBits,
  oid,
  readElement,
  readElements,
  sequence,
  setOf,
  time,
  tlv,
  unsignedInteger,
} from "../../../src/x509/der.js";
import { ipBytes } from "../../../src/x509/certificate.js";

const hex = (buffer: Buffer) => buffer.toString("hex");

describe("DER encoding", () => {
  it("writes short and long lengths", () => {
    expect(hex(tlv(0x04, Buffer.alloc(3)))).toBe("0403000000");
    expect(hex(tlv(0x04, Buffer.alloc(200))).slice(0, 6)).toBe("0481c8");
    expect(hex(tlv(0x04, Buffer.alloc(300))).slice(0, 8)).toBe("0482012c");
  });

  it("encodes object identifiers in base 128", () => {
    expect(hex(oid("2.5.4.3"))).toBe("0603550403");
    expect(hex(oid("1.2.840.113549.1.1.11"))).toBe("06092a864886f70d01010b");
    expect(hex(oid("1.2.840.10045.4.3.2"))).toBe("06082a8648ce3d040302");
  });

  it("writes unsigned integers minimally, with a 0 before a high bit", () => {
    expect(hex(unsignedInteger(Buffer.from([0, 0, 0x12])))).toBe("020112");
    expect(hex(unsignedInteger(Buffer.from([0x00, 0x80])))).toBe("02020080");
    expect(hex(unsignedInteger(Buffer.from([0x80])))).toBe("02020080");
    expect(hex(unsignedInteger(Buffer.from([0])))).toBe("020100");
  });

  it("leaves trailing zero bits out of a named bit list", () => {
    expect(hex(namedBits([5, 6]))).toBe("03020106"); // keyCertSign | cRLSign
    expect(hex(namedBits([0, 2, 4]))).toBe("030203a8");
    expect(hex(namedBits([0, 4]))).toBe("03020388");
    expect(hex(namedBits([8]))).toBe("0303070080");
  });

  it("writes UTCTime before 2050 and GeneralizedTime from 2050, whole seconds", () => {
    expect(time(new Date("2026-01-02T03:04:05.678Z")).toString("latin1")).toBe(
      "\x17\x0d260102030405Z",
    );
    expect(time(new Date("2050-01-01T00:00:00Z")).toString("latin1")).toBe(
      "\x18\x0f20500101000000Z",
    );
  });

  it("picks PrintableString as Go does, else UTF8String", () => {
    expect(directoryString("app:a-1 (x)+,./=?'")[0]).toBe(0x13);
    expect(directoryString("a_b")[0]).toBe(0x0c);
    expect(directoryString("a*b")[0]).toBe(0x0c);
    expect(directoryString("a&b")[0]).toBe(0x0c);
    expect(directoryString("é")).toEqual(Buffer.from([0x0c, 2, 0xc3, 0xa9]));
  });

  it("orders the members of a SET OF by their encodings", () => {
    const long = sequence(Buffer.from("0401aa", "hex"));
    const short = sequence();
    expect(hex(setOf(long, short))).toBe("31073000" + "3003" + "0401aa");
  });

  it("reads back what it wrote", () => {
    const der = sequence(oid("2.5.4.3"), tlv(0x04, Buffer.alloc(300)));
    const [first, second] = readElements(readElement(der).content);
    expect(first?.der).toEqual(oid("2.5.4.3"));
    expect(second?.content.length).toBe(300);
    expect(() => readElement(der.subarray(0, 10))).toThrow(/past the end/);
  });
});

describe("ipBytes", () => {
  it("reads IPv4 and IPv6, compressed or with an IPv4 tail", () => {
    expect(hex(ipBytes("172.17.0.5"))).toBe("ac110005");
    expect(hex(ipBytes("::1"))).toBe("00000000000000000000000000000001");
    expect(hex(ipBytes("fd00:1::a"))).toBe("fd00000100000000000000000000000a");
    expect(hex(ipBytes("::ffff:10.0.0.1"))).toBe("00000000000000000000ffff0a000001");
    expect(hex(ipBytes("2001:db8:0:0:1:0:0:1"))).toBe("20010db8000000000001000000000001");
    expect(() => ipBytes("not-an-ip")).toThrow(/not an IP/);
  });
});
