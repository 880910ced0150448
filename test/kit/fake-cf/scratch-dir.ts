/** A temp directory for test fixtures, removed on dispose. */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

export class ScratchDir implements AsyncDisposable {
  readonly path: string;

  private constructor(path: string) {
    this.path = path;
  }

  static async create(): Promise<ScratchDir> {
    return new ScratchDir(await mkdtemp(join(tmpdir(), "fake-cf-test-")));
  }

  /** Writes `content` to `name` inside the directory and returns its path. */
  async file(name: string, content: string | Buffer): Promise<string> {
    const path = join(this.path, name);
    await writeFile(path, content);
    return path;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await rm(this.path, { recursive: true, force: true });
  }
}
