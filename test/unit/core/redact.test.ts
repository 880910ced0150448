import { describe, expect, it } from "vitest";
import {
  maskSecretsInText,
  redactArgs,
  redactEnvValue,
  redactUrl,
  redactUrlsInText,
  secretArgValues,
} from "../../../src/core/redact.js";

describe("redactUrl", () => {
  it("keeps scheme, host, port and path, and hides the signed query", () => {
    expect(
      redactUrl(
        "https://blobstore.service.cf.internal:4443/read/cc-packages/27/3b/273b?md5=abcDEF123&expires=1465495532",
      ),
    ).toBe("https://blobstore.service.cf.internal:4443/read/cc-packages/27/3b/273b?…");
  });

  it("replaces basic-auth userinfo with ***@", () => {
    expect(
      redactUrl(
        "http://staging_user:Stag1ngPassw0rd@cloud-controller-ng.service.cf.internal:9022/staging/x",
      ),
    ).toBe("http://***@cloud-controller-ng.service.cf.internal:9022/staging/x");
  });

  it("hides a password containing an unencoded @ entirely", () => {
    expect(redactUrl("http://user:p@ss@host:9022/a")).toBe("http://***@host:9022/a");
  });

  it("keeps the fragment (docker tags) and URLs without secrets unchanged", () => {
    expect(redactUrl("docker://registry.example.com/acme/node-env#1.4.2")).toBe(
      "docker://registry.example.com/acme/node-env#1.4.2",
    );
    expect(redactUrl("preloaded:cflinuxfs4")).toBe("preloaded:cflinuxfs4");
    expect(redactUrl("https://host/a@b")).toBe("https://host/a@b");
  });

  it("hides S3 signatures", () => {
    const url =
      "https://cc-packages.s3.amazonaws.com/5e/9c/pkg?X-Amz-Credential=AKIAIOSFODNN7EXAMPLE&X-Amz-Signature=deadbeef";
    expect(redactUrl(url)).toBe("https://cc-packages.s3.amazonaws.com/5e/9c/pkg?…");
  });

  it("is tolerant of strings that are not URLs", () => {
    expect(redactUrl("user:pa/ss@host/path?token=1")).toBe("***@host/path?…");
    expect(redactUrl("http://user:pa?ss@host/path?q=1")).toBe("http://***@host/path?…");
    expect(redactUrl("not a url")).toBe("not a url");
    expect(redactUrl("")).toBe("");
  });
});

describe("redactUrlsInText", () => {
  it("redacts every URL inside JSON-in-a-string and stops at quotes", () => {
    const annotation =
      '{"lifecycle":"buildpack","completion_callback":"http://internal_user:Secr3t@api:9022/internal/staging/x/completed"}';
    expect(redactUrlsInText(annotation)).toBe(
      '{"lifecycle":"buildpack","completion_callback":"http://***@api:9022/internal/staging/x/completed"}',
    );
  });

  it("redacts PEM private keys", () => {
    const text =
      "key: -----BEGIN RSA PRIVATE KEY-----\nMIIEsecret\n-----END RSA PRIVATE KEY-----\n done";
    expect(redactUrlsInText(text)).toBe("key: <redacted>\n done");
  });
});

describe("redactEnvValue", () => {
  it("masks VCAP_SERVICES unless it is empty", () => {
    expect(redactEnvValue("VCAP_SERVICES", '{"p-mysql":[{"credentials":{"password":"x"}}]}')).toBe(
      "<redacted>",
    );
    expect(redactEnvValue("VCAP_SERVICES", "{}")).toBe("{}");
  });

  it("masks names that look like credentials", () => {
    for (const name of [
      "DB_PASSWORD",
      "API_TOKEN",
      "client_secret",
      "AWS_SECRET_ACCESS_KEY",
      "CREDENTIALS",
    ]) {
      expect(redactEnvValue(name, "hunter2hunter2")).toBe("<redacted>");
    }
  });

  it("hides URL credentials inside other values and keeps the rest", () => {
    expect(redactEnvValue("DATABASE_URL", "postgres://admin:pw1234@db.internal:5432/app")).toBe(
      "postgres://***@db.internal:5432/app",
    );
    expect(redactEnvValue("MEMORY_LIMIT", "1024m")).toBe("1024m");
  });
});

describe("redactArgs", () => {
  it("hides secret flag values in both flag forms, PEM keys and URL credentials", () => {
    const args = [
      "-address=0.0.0.0:2222",
      "-hostKey=-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----\n",
      "-dockerPassword",
      "p4ssw0rd!",
      "-dockerRef=registry.example.com/acme/app:1",
      "-url=https://u:pw@host/x",
    ];
    expect(redactArgs(args)).toEqual([
      "-address=0.0.0.0:2222",
      "-hostKey=<redacted>",
      "-dockerPassword",
      "<redacted>",
      "-dockerRef=registry.example.com/acme/app:1",
      "-url=https://***@host/x",
    ]);
    expect(secretArgValues(args)).toEqual([args[1]?.slice("-hostKey=".length), "p4ssw0rd!"]);
  });
});

describe("maskSecretsInText", () => {
  it("masks raw, JSON-escaped and URL-encoded forms of each secret", () => {
    const secret = 'Pa"ss/word@1';
    const text = `raw ${secret} json ${JSON.stringify(secret)} url ${encodeURIComponent(secret)}`;
    expect(maskSecretsInText(text, [secret])).toBe(
      'raw <redacted> json "<redacted>" url <redacted>',
    );
  });

  it("masks longer secrets first and skips too-short ones", () => {
    expect(maskSecretsInText("abc abcdef-long", ["abcdef-long", "abcd", "ab"])).toBe(
      "abc <redacted>",
    );
  });
});
