import { posix } from "node:path";
import { Readable } from "node:stream";
import { Header } from "tar";
import type {
  Container,
  ContainerUser,
  ExecProcess,
  ProcessIO,
  ProcessSpec,
} from "../../src/container/container.js";
import { readTarEntries } from "./read-tar.js";

/**
 * An in-memory Container for unit tests: files live in a map, archives are real tar streams,
 * and processes are scripted behaviours registered by path.
 */

export interface TarEntry {
  path: string;
  type: "File" | "Directory";
  content?: Buffer | undefined;
  uid?: number | undefined;
  gid?: number | undefined;
  mode?: number | undefined;
}

export interface FakeFile {
  content: Buffer;
  uid: number;
  gid: number;
}

export interface ExecContext {
  spec: ProcessSpec;
  io: ProcessIO;
  /** Aborts when the process receives its first signal (reason: "TERM" or "KILL"). */
  signal: AbortSignal;
}

/** A scripted process: resolves with its exit status. */
export type ExecBehaviour = (ctx: ExecContext) => Promise<number> | number;

export interface ExecRecord {
  spec: ProcessSpec;
  /** Signals delivered, with Date.now() at delivery (fake timers make it exact). */
  signals: { signal: "TERM" | "KILL"; atMs: number }[];
  exitStatus?: number;
}

interface Script {
  behaviour: ExecBehaviour;
  /** A process that survives KILL (to exercise the exit timeout). */
  ignoreKill: boolean;
}

const USERS: Record<string, ContainerUser> = {
  vcap: { name: "vcap", uid: 2000, gid: 2000, home: "/home/vcap" },
  root: { name: "root", uid: 0, gid: 0, home: "/root" },
};

export class FakeContainer implements Container {
  readonly id = "fake-container";
  readonly files = new Map<string, FakeFile>();
  readonly putArchives: { path: string; entries: TarEntry[] }[] = [];
  /** Garden-style stream-ins: `path` resolved against the user's home. */
  readonly streamIns: { path: string; user: string; entries: TarEntry[] }[] = [];
  readonly execs: ExecRecord[] = [];
  /** The users of each readAhead() call. */
  readonly readAheads: string[][] = [];
  oomKilled = false;
  removed = false;
  /** What networkAddresses() answers. */
  addresses = { ip: "10.255.0.2", gateway: "10.255.0.1" };
  /** Set to make the next putArchive / getArchive / exec start fail with it. */
  putArchiveError: Error | undefined;
  streamInError: Error | undefined;
  getArchiveError: Error | undefined;
  execError: Error | undefined;
  private readonly scripts = new Map<string, Script>();
  private readonly archives = new Map<string, TarEntry[]>();

  onExec(path: string, behaviour: ExecBehaviour, options: { ignoreKill?: boolean } = {}): void {
    this.scripts.set(path, { behaviour, ignoreKill: options.ignoreKill ?? false });
  }

  writeFile(path: string, content: string | Buffer, owner = { uid: 0, gid: 0 }): void {
    this.files.set(path, { content: Buffer.from(content), ...owner });
  }

  /**
   * Paths openFile answers from `files` (a container on this host); any other path, as for a
   * container elsewhere, is undefined.
   */
  readonly openable = new Set<string>();
  readonly opened: string[] = [];

  openFile(path: string): Promise<{ stream: Readable; sizeBytes: number } | undefined> {
    const file = this.openable.has(path) ? this.files.get(path) : undefined;
    if (!file) return Promise.resolve(undefined);
    this.opened.push(path);
    return Promise.resolve({
      stream: Readable.from([file.content]),
      sizeBytes: file.content.length,
    });
  }

  /** Makes getArchive(path) return exactly these entries. */
  setArchive(path: string, entries: TarEntry[]): void {
    this.archives.set(path, entries);
  }

  async putArchive(path: string, tar: Readable, options: { signal?: AbortSignal } = {}) {
    options.signal?.throwIfAborted();
    if (this.putArchiveError) {
      tar.destroy();
      throw this.putArchiveError;
    }
    const entries = await readTar(tar);
    this.putArchives.push({ path, entries });
    for (const entry of entries) {
      if (entry.type !== "File") continue;
      const owner = { uid: entry.uid ?? 0, gid: entry.gid ?? 0 };
      this.files.set(posix.join(path, entry.path), {
        content: entry.content ?? Buffer.alloc(0),
        ...owner,
      });
    }
  }

  /** Like Garden: every entry ends up owned by the user, whatever the archive says. */
  async streamIn(to: string, tar: Readable, options: { user: string; signal?: AbortSignal }) {
    options.signal?.throwIfAborted();
    const user = await this.lookupUser(options.user).catch((error: unknown) => {
      tar.destroy();
      throw error;
    });
    if (this.streamInError) {
      tar.destroy();
      throw this.streamInError;
    }
    const path = posix.resolve(user.home, to);
    const entries = await readTar(tar);
    this.streamIns.push({ path, user: user.name, entries });
    for (const entry of entries) {
      if (entry.type !== "File") continue;
      this.files.set(posix.join(path, entry.path), {
        content: entry.content ?? Buffer.alloc(0),
        uid: user.uid,
        gid: user.gid,
      });
    }
  }

  getArchive(path: string, options: { signal?: AbortSignal } = {}): Promise<Readable> {
    return Promise.resolve().then(() => this.archiveOf(path, options.signal));
  }

  private archiveOf(path: string, signal: AbortSignal | undefined): Readable {
    signal?.throwIfAborted();
    if (this.getArchiveError) throw this.getArchiveError;
    const scripted = this.archives.get(path);
    if (scripted) return Readable.from([packTar(scripted)]);
    const file = this.files.get(path);
    if (!file) throw new Error(`Could not find the file ${path} in container ${this.id}`);
    return Readable.from([packTar([{ path: posix.basename(path), type: "File", ...file }])]);
  }

  exec(spec: ProcessSpec, io: ProcessIO, options: { signal?: AbortSignal } = {}) {
    return Promise.resolve().then((): ExecProcess => {
      options.signal?.throwIfAborted();
      if (this.execError) throw this.execError;
      const record: ExecRecord = { spec, signals: [] };
      this.execs.push(record);
      return new FakeProcess(record, this.scripts.get(spec.path) ?? notFound, io);
    });
  }

  readAhead(users: readonly string[]): void {
    this.readAheads.push([...users]);
  }

  lookupUser(user: string): Promise<ContainerUser> {
    const found = USERS[user];
    if (!found) {
      return Promise.reject(
        new Error(`unable to find user ${user}: no matching entries in passwd file`),
      );
    }
    return Promise.resolve(found);
  }

  networkAddresses(): Promise<{ ip: string; gateway: string }> {
    return Promise.resolve({ ...this.addresses });
  }

  wasOomKilled(): Promise<boolean> {
    return Promise.resolve(this.oomKilled);
  }

  /** Set to make remove() wait for it (and fail when it rejects). */
  removal: Promise<void> | undefined;

  async remove(): Promise<void> {
    await this.removal;
    this.removed = true;
  }
}

const notFound: Script = {
  behaviour: ({ spec, io }) => {
    io.stderr(Buffer.from(`exec: "${spec.path}": no such file or directory\n`));
    return 127;
  },
  ignoreKill: false,
};

class FakeProcess implements ExecProcess {
  private readonly controller = new AbortController();
  private readonly exit: Promise<number>;
  private killed: (status: number) => void = () => undefined;

  constructor(
    private readonly record: ExecRecord,
    private readonly script: Script,
    io: ProcessIO,
  ) {
    const killedExit = new Promise<number>((resolve) => (this.killed = resolve));
    const ran = Promise.resolve().then(() =>
      script.behaviour({ spec: record.spec, io, signal: this.controller.signal }),
    );
    this.exit = Promise.race([ran, killedExit]).then((status) => (record.exitStatus = status));
  }

  wait(): Promise<number> {
    return this.exit;
  }

  signal(signal: "TERM" | "KILL"): Promise<void> {
    this.record.signals.push({ signal, atMs: Date.now() });
    this.controller.abort(signal);
    if (signal === "KILL" && !this.script.ignoreKill) this.killed(137);
    return Promise.resolve();
  }
}

/** Builds an uncompressed tar (ustar headers, mtime 0) from in-memory entries. */
export function packTar(entries: readonly TarEntry[]): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    const content = entry.type === "File" ? (entry.content ?? Buffer.alloc(0)) : Buffer.alloc(0);
    const header = new Header({
      path: entry.path,
      type: entry.type,
      mode: entry.mode ?? (entry.type === "File" ? 0o644 : 0o755),
      uid: entry.uid ?? 0,
      gid: entry.gid ?? 0,
      size: content.length,
      mtime: new Date(0),
    });
    const block = Buffer.alloc(512);
    if (header.encode(block, 0)) throw new Error(`path too long for a test tar: ${entry.path}`);
    blocks.push(block, content, Buffer.alloc((512 - (content.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

/** Reads every entry of a tar stream (strict: a non-tar input rejects). */
export async function readTar(stream: Readable | Buffer): Promise<TarEntry[]> {
  return (await readTarEntries(stream)).map((entry) => ({
    path: entry.path,
    type: entry.type === "Directory" ? "Directory" : "File",
    content: entry.body,
    uid: entry.uid,
    gid: entry.gid,
    mode: entry.mode,
  }));
}
