/**
 * The Docker port restager's core sees. dockerode stays behind it (src/container/docker-*.ts);
 * nothing here leaks a library type.
 */
import type { Readable } from "node:stream";

export interface ContainerSpec {
  image: string;
  /** Container-level env, `NAME=value`. */
  env: string[];
  /**
   * Whether processes see the image's own env (its Docker `ENV`) under `env`. Garden applies a
   * docker rootfs's image env, but a preloaded rootfs (a stack) has none: false for a stack
   * image. Either way processes never see Docker's own additions (HOSTNAME). Default true.
   */
  imageEnv?: boolean | undefined;
  /** The container's hostname (Garden: the container handle). Default: Docker's (the id). */
  hostname?: string | undefined;
  labels: Record<string, string>;
  memoryMb?: number | undefined;
  /** Docker CPU shares (1024 = one full share). */
  cpuShares?: number | undefined;
  /** Container-wide nofile ulimit (soft = hard). */
  nofile?: number | undefined;
  maxPids?: number | undefined;
  network?: string | undefined;
  /** Extra /etc/hosts entries, `host:ip`. */
  extraHosts?: string[] | undefined;
  name?: string | undefined;
  /** Named volumes to mount (never host paths: see create-options.ts). */
  volumes?: VolumeMount[] | undefined;
  /**
   * Tie the container's life to the creating process (createIdle only): it stops and the engine
   * removes it as soon as that process's connection to it closes, even after a SIGKILL.
   */
  boundToOwner?: boolean | undefined;
}

/**
 * A named engine volume mounted at `target`. The image's content at `target` is never copied
 * into the volume: the volume hides it, as a bind mount would.
 */
export interface VolumeMount {
  name: string;
  target: string;
  readOnly: boolean;
}

export interface ProcessSpec {
  path: string;
  args: string[];
  /** `NAME=value`, appended after the container env (later wins). */
  env: string[];
  user: string;
  /**
   * Working directory; undefined = the user's home, or `/` when that does not exist. A given
   * dir that is missing is created, owned by the user (Guardian).
   */
  dir?: string | undefined;
  /** Per-process nofile limit, applied with a `ulimit -n` wrapper. */
  nofile?: number | undefined;
}

/** Where a process's output goes; each chunk is raw bytes, not necessarily whole lines. */
export interface ProcessIO {
  stdout(chunk: Buffer): void;
  stderr(chunk: Buffer): void;
}

export interface ExecProcess {
  /** Resolves with the exit code once the process ended and its output was delivered. */
  wait(): Promise<number>;
  /** Delivers a signal to the process (Docker has no API for this: done with a second exec). */
  signal(signal: "TERM" | "KILL"): Promise<void>;
}

export interface ContainerUser {
  name: string;
  uid: number;
  gid: number;
  home: string;
}

export interface Container {
  readonly id: string;
  /**
   * Extracts a tar stream into directory `path` (created if missing). Entries keep the numeric
   * owner they carry, so callers pre-own entries (uid/gid 2000 for vcap). Resolves once Docker
   * accepted all of it. The stream is consumed, or destroyed when this rejects.
   */
  putArchive(path: string, tar: Readable, options?: { signal?: AbortSignal }): Promise<void>;
  /**
   * Garden's StreamIn (guardian's nstar): `to` resolved against `user`'s home; the missing
   * components created 0755 and owned by the user (existing ones untouched); the tar extracted
   * by the user, so every entry is owned by the user and modes are masked by the umask, and a
   * destination the user may not write fails. A failed extraction rejects with an error whose
   * message reads like Garden's (`stream-in: nstar: error streaming in: exit status N. Output:
   * ...`). The container must be running. The stream is consumed, or destroyed on rejection.
   */
  streamIn(
    to: string,
    tar: Readable,
    options: { user: string; signal?: AbortSignal | undefined },
  ): Promise<void>;
  /**
   * Streams `path` out as a tar archive. The caller must consume or destroy the stream.
   * Rejects with PathMissingError (path-missing-error.ts) when `path` does not exist.
   */
  getArchive(path: string, options?: { signal?: AbortSignal }): Promise<Readable>;
  /**
   * The regular file at `path`, read straight from the container's root on this host: no
   * engine request, no tar around it. undefined when that cannot be done here (an engine
   * elsewhere, no permission, no regular file there, a symbolic link on the way or at the
   * end): getArchive then says what is there. The caller consumes or destroys the stream.
   */
  openFile(path: string): Promise<{ stream: Readable; sizeBytes: number } | undefined>;
  /**
   * The container's address on its network and that network's gateway (the Docker host as the
   * container sees it); "" each when it has none (network `none`).
   */
  networkAddresses(): Promise<{ ip: string; gateway: string }>;
  /** Starts a process. Never rejects for a non-zero exit. */
  exec(spec: ProcessSpec, io: ProcessIO, options?: { signal?: AbortSignal }): Promise<ExecProcess>;
  /**
   * Looks a user name up in the container's /etc/passwd (read once per container); an unknown
   * user is an InvalidInputError.
   */
  lookupUser(user: string): Promise<ContainerUser>;
  /**
   * Starts, in the background, the reads that the first stream-in and the first processes of
   * `users` need (the passwd file, the container's env, whether setpriv is there, each user's
   * home), so that they overlap other work. Changes nothing in the container; a read that
   * fails is retried, and its error reported, by the call that needs the answer.
   */
  readAhead(users: readonly string[]): void;
  /**
   * Whether the kernel OOM-killed any process of the container so far (for `(out of memory)`
   * messages). Container level, like Garden's OOM event: it cannot say which process.
   */
  wasOomKilled(): Promise<boolean>;
  /** Stops and removes the container and its anonymous volumes; idempotent. */
  remove(): Promise<void>;
}

/** A named volume as the engine holds it. */
export interface VolumeInfo {
  name: string;
  labels: Record<string, string>;
  /** The engine's clock, second precision. */
  createdAt: Date;
  /**
   * Where the engine keeps the volume's files on its host; this host's files only when the
   * engine runs here.
   */
  mountpoint?: string | undefined;
}

/** A container (in any state) that mounts a volume. */
export interface VolumeUser {
  id: string;
  state: string;
  labels: Record<string, string>;
  /** The engine's clock, second precision. */
  createdAt: Date;
}

/** The engine's named volumes. Engine failures are RestagerErrors (UnavailableError, ...). */
export interface VolumeStore {
  /** Volumes carrying `label=value`. */
  list(label: string, value: string, signal?: AbortSignal): Promise<VolumeInfo[]>;
  inspect(name: string, signal?: AbortSignal): Promise<VolumeInfo | undefined>;
  /**
   * Creates `name` with `labels` unless it exists, atomically, and answers the volume as the
   * engine then holds it. The engine never changes an existing volume's labels, so a caller that
   * put a unique token in `labels` can tell whether it was the creator.
   */
  create(name: string, labels: Record<string, string>, signal?: AbortSignal): Promise<VolumeInfo>;
  /** True once the volume is gone (also when it never existed); false when a container uses it. */
  remove(name: string, signal?: AbortSignal): Promise<boolean>;
  /** The containers, running or not, that mount `name`. */
  users(name: string, signal?: AbortSignal): Promise<VolumeUser[]>;
}

/** Creates containers and answers questions about images. */
export interface ContainerRuntime {
  /** Throws UnavailableError with a hint when the engine does not answer. */
  ping(signal?: AbortSignal): Promise<void>;
  imageExists(ref: string): Promise<boolean>;
  /** Creates and starts a container that idles (`sleep infinity`-like) until removed. */
  createIdle(spec: ContainerSpec, signal?: AbortSignal): Promise<Container>;
  /**
   * Creates a container that is never started: no process runs, so only putArchive/getArchive
   * and remove() work on it (archives reach its volumes too). Cheaper than createIdle.
   */
  createUnstarted(spec: ContainerSpec, signal?: AbortSignal): Promise<Container>;
  readonly volumes: VolumeStore;
  /** Force-removes every container carrying `label=value`; returns how many were removed. */
  removeLabelled(label: string, value: string): Promise<number>;
}
