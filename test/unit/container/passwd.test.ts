import { describe, expect, it } from "vitest";
import { findPasswdUser, parsePasswd } from "../../../src/container/passwd.js";

const passwd = [
  "root:x:0:0:root:/root:/bin/bash",
  "# a comment",
  "",
  "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin",
  "broken:x:notanumber:1::/home/broken:/bin/sh",
  "short:x:1",
  "vcap:x:2000:2000::/home/vcap:/bin/bash\r",
  "vcap:x:3000:3000::/elsewhere:/bin/bash",
].join("\n");

describe("parsePasswd", () => {
  it("reads name, uid, gid and home, skipping comments and malformed lines", () => {
    expect(parsePasswd(passwd).map((u) => u.name)).toEqual(["root", "nobody", "vcap", "vcap"]);
    expect(parsePasswd(passwd)[1]).toEqual({
      name: "nobody",
      uid: 65534,
      gid: 65534,
      home: "/nonexistent",
    });
  });

  it("finds the first entry of a name (getpwnam)", () => {
    expect(findPasswdUser(passwd, "vcap")).toEqual({
      name: "vcap",
      uid: 2000,
      gid: 2000,
      home: "/home/vcap",
    });
    expect(findPasswdUser(passwd, "ghost")).toBeUndefined();
    expect(findPasswdUser(passwd, "broken")).toBeUndefined();
  });

  it("keeps an empty home as empty", () => {
    expect(findPasswdUser("svc:x:5:5:::/bin/sh", "svc")?.home).toBe("");
  });
});
