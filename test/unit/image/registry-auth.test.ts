/**
 * Registry credentials: their order (flags, the LRP's own, the Docker config) and the docker
 * credential helper protocol, run for real against small `docker-credential-*` scripts on PATH.
 */
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCredentialHelper } from "../../../src/image/credential-helper.js";
import { registryCredentials } from "../../../src/image/registry-auth.js";

let dir: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "restager-helper-"));
  env = { PATH: `${dir}:${process.env.PATH ?? ""}`, DOCKER_CONFIG: dir };
  // Knows one server; records what it was asked on stdin, as docker's helpers are asked.
  await helper(
    "test",
    [
      'read -r server || true; printf %s "$server" >>"$(dirname "$0")/asked"',
      "case $server in",
      '  127.0.0.1:5999) printf \'{"ServerURL":"%s","Username":"robot","Secret":"s3cret-pw"}\' "$server" ;;',
      '  https://index.docker.io/v1/) printf \'{"ServerURL":"%s","Username":"<token>","Secret":"id-token"}\' "$server" ;;',
      "  *) echo 'credentials not found in native keychain'; exit 1 ;;",
      "esac",
    ].join("\n"),
  );
  await helper("broken", "echo 'error getting credentials - err: exit status 1' >&2; exit 1");
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function helper(name: string, body: string): Promise<void> {
  const path = join(dir, `docker-credential-${name}`);
  await writeFile(path, `#!/bin/sh\n[ "$1" = get ] || exit 2\n${body}\n`);
  await chmod(path, 0o755);
}

async function config(value: unknown): Promise<void> {
  await writeFile(join(dir, "config.json"), JSON.stringify(value));
}

describe("the docker credential helper protocol", () => {
  it("sends the server on stdin to `get` and reads Username and Secret", async () => {
    await writeFile(join(dir, "asked"), "");
    const found = await runCredentialHelper("test", "127.0.0.1:5999", { env });
    expect(found).toEqual({ username: "robot", password: "s3cret-pw" });
    expect(await readFile(join(dir, "asked"), "utf8")).toBe("127.0.0.1:5999");
  });

  it("turns a <token> user into an identity token", async () => {
    const found = await runCredentialHelper("test", "https://index.docker.io/v1/", { env });
    expect(found).toEqual({ identitytoken: "id-token" });
  });

  it("reads 'credentials not found' as no credentials", async () => {
    expect(await runCredentialHelper("test", "other:5000", { env })).toBeUndefined();
  });

  it("fails clearly when the helper is missing or fails otherwise", async () => {
    await expect(runCredentialHelper("nope", "r:5000", { env })).rejects.toThrow(
      "The Docker credential helper docker-credential-nope is not on the PATH",
    );
    await expect(runCredentialHelper("broken", "r:5000", { env })).rejects.toThrow(
      /docker-credential-broken failed for r:5000 \(exit 1\): error getting credentials/,
    );
  });
});

describe("registryCredentials: which source wins", () => {
  it("credHelpers for the registry, before credsStore and auths", async () => {
    await config({
      credsStore: "broken",
      credHelpers: { "127.0.0.1:5999": "test" },
      auths: { "127.0.0.1:5999": { auth: Buffer.from("file:pw").toString("base64") } },
    });
    const resolved = await registryCredentials({ registry: "127.0.0.1:5999", env });
    expect(resolved).toEqual({
      source: "credential-helper",
      helper: "test",
      auth: { serveraddress: "127.0.0.1:5999", username: "robot", password: "s3cret-pw" },
    });
  });

  it("credsStore asks Docker Hub under its v1 URL", async () => {
    await config({ credsStore: "test" });
    const resolved = await registryCredentials({ registry: "docker.io", env });
    expect(resolved.auth).toEqual({ serveraddress: "docker.io", identitytoken: "id-token" });
  });

  it("auths only without a helper; the LRP's image credentials before the config; flags first", async () => {
    await config({
      auths: { "127.0.0.1:5999": { auth: Buffer.from("file:pw").toString("base64") } },
    });
    const fromFile = await registryCredentials({ registry: "127.0.0.1:5999", env });
    expect(fromFile.auth).toMatchObject({ username: "file", password: "pw" });
    const request = { username: "deployer", password: "lrp-pw" };
    const fromLrp = await registryCredentials({ registry: "127.0.0.1:5999", env, request });
    expect(fromLrp).toMatchObject({ source: "request", auth: { username: "deployer" } });
    const fromFlags = await registryCredentials({
      registry: "127.0.0.1:5999",
      env,
      request,
      user: "me",
      password: "flag-pw",
    });
    expect(fromFlags).toMatchObject({ source: "flags", auth: { username: "me" } });
  });

  it("an LRP with an empty image_username brings no credentials", async () => {
    await config({});
    const resolved = await registryCredentials({
      registry: "127.0.0.1:5999",
      env,
      request: { username: "", password: "" },
    });
    expect(resolved).toEqual({ source: "none" });
  });
});
