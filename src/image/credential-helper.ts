/**
 * Docker credential helpers, as the docker CLI runs them: `docker-credential-<name> get` with the
 * server address on stdin answers `{"ServerURL","Username","Secret"}` on stdout; a Username of
 * `<token>` makes the Secret an identity token. A helper that does not know the server exits
 * non-zero saying `credentials not found in native keychain`, which means "no credentials",
 * not an error. The secret is never printed.
 */
import { spawn } from "node:child_process";
import { UnavailableError } from "../errors.js";
import { throwIfCancelled } from "../core/cancellation.js";

export interface HelperCredentials {
  username?: string | undefined;
  password?: string | undefined;
  identitytoken?: string | undefined;
}

/** Runs helper `name` for `serverAddress`; undefined when it has no credentials for it. */
export type CredentialHelperRunner = (
  name: string,
  serverAddress: string,
  options: { env: NodeJS.ProcessEnv; signal?: AbortSignal | undefined },
) => Promise<HelperCredentials | undefined>;

const notFound = /credentials not found/i;
const timeoutMs = 30_000;

export const runCredentialHelper: CredentialHelperRunner = async (name, serverAddress, options) => {
  const program = `docker-credential-${name}`;
  const { code, stdout, stderr, spawnError } = await runGet(program, serverAddress, options);
  throwIfCancelled(options.signal);
  if (spawnError) {
    const missing = spawnError.code === "ENOENT";
    throw new UnavailableError(
      missing
        ? `The Docker credential helper ${program} is not on the PATH`
        : `Cannot run the Docker credential helper ${program}: ${spawnError.message}`,
      {
        hint: "Install it, or remove credsStore / credHelpers from the Docker config, or give --registry-user",
        cause: spawnError,
      },
    );
  }
  if (code !== 0) {
    if (notFound.test(stdout) || notFound.test(stderr)) return undefined;
    const said = (stderr.trim() || stdout.trim()).split("\n")[0] ?? "";
    throw new UnavailableError(
      `The Docker credential helper ${program} failed for ${serverAddress} (exit ${code})${said ? `: ${said}` : ""}`,
      { hint: `Check it with: echo ${serverAddress} | ${program} get` },
    );
  }
  return parseAnswer(program, stdout);
};

function parseAnswer(program: string, stdout: string): HelperCredentials {
  let answer: { Username?: unknown; Secret?: unknown };
  try {
    answer = JSON.parse(stdout) as typeof answer;
  } catch (error) {
    throw new UnavailableError(`The Docker credential helper ${program} answered no JSON`, {
      hint: `It must print {"ServerURL":...,"Username":...,"Secret":...}`,
      cause: error,
    });
  }
  const username = typeof answer.Username === "string" ? answer.Username : "";
  const secret = typeof answer.Secret === "string" ? answer.Secret : "";
  if (username === "<token>") return { identitytoken: secret };
  return { username, password: secret };
}

interface GetResult {
  code: number | null;
  stdout: string;
  stderr: string;
  spawnError?: NodeJS.ErrnoException | undefined;
}

function runGet(
  program: string,
  serverAddress: string,
  options: { env: NodeJS.ProcessEnv; signal?: AbortSignal | undefined },
): Promise<GetResult> {
  return new Promise((resolve) => {
    const child = spawn(program, ["get"], {
      env: options.env,
      stdio: ["pipe", "pipe", "pipe"],
      timeout: timeoutMs,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let spawnError: NodeJS.ErrnoException | undefined;
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.stdin.on("error", () => undefined);
    child.on("error", (error: NodeJS.ErrnoException) => (spawnError = error));
    child.on("close", (code) =>
      resolve({
        code,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
        spawnError,
      }),
    );
    child.stdin.end(serverAddress);
  });
}
