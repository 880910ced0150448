/**
 * The launcher image benchmark (figures, not tests): build time and image size against droplet
 * size, and what a rebuild on the same stack and lifecycle adds.
 *
 * For each droplet size: a droplet like a builder's (`tar -czf droplet -C contents .`) holding
 * random bytes (incompressible, the worst case) plus 2,000 small files, built into an image with
 * the build use case against the real engine. Then a second droplet of the same size on the
 * same stack and lifecycle: how many layers it shares with the first, and the build time; then
 * the first droplet again (same id, nothing new stored). Run: `npx vite-node bench/image-bench.ts
 * [--quick]`. Needs the engine and the stack image (`npm run setup`). Every image it makes is
 * removed at the end.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { c as createTar } from "tar";
import { DockerImageStore } from "../src/container/docker-image-store.js";
import { formatByteSize } from "../src/diego/messages.js";
import { buildImage, type BuiltImage } from "../src/image/build-image.js";
import { defaultImageTime } from "../src/image/image-time.js";
import { buildLifecycleTgz } from "../src/testing/fixture-blobs.js";

const MB = 1024 * 1024;
const stackImage = "restager/cflinuxfs4:latest";
const repository = `restager-bench/image-${randomUUID().slice(0, 8)}`;
const images = new DockerImageStore();

interface Row {
  dropletMb: number;
  first: { built: BuiltImage; ms: number };
  second: { built: BuiltImage; ms: number };
  again: { built: BuiltImage; ms: number };
  streamedMs?: number | undefined;
}

async function writeDroplet(dir: string, name: string, mb: number): Promise<string> {
  const root = join(dir, name);
  await mkdir(join(root, "app", "node_modules"), { recursive: true });
  await mkdir(join(root, "deps", "0"), { recursive: true });
  const chunk = Math.min(mb * MB, 16 * MB);
  for (let written = 0, part = 0; written < mb * MB; written += chunk, part++) {
    await writeFile(
      join(root, "app", `blob-${part}.bin`),
      randomBytes(Math.min(chunk, mb * MB - written)),
    );
  }
  for (let i = 0; i < 2000; i++) {
    await writeFile(
      join(root, "app", "node_modules", `m${i}.js`),
      `module.exports = ${i};\n`.repeat(20),
    );
  }
  await writeFile(
    join(root, "staging_info.yml"),
    '{"detected_buildpack":"bench","start_command":"sleep 1"}',
  );
  const file = join(dir, `${name}.tgz`);
  await createTar({ gzip: true, file, cwd: root, portable: true }, ["."]);
  await rm(root, { recursive: true, force: true });
  return file;
}

async function timedBuild(droplet: string, lifecycle: string, tag: string, stream = false) {
  const started = performance.now();
  const built = await buildImage(
    {
      dropletPath: droplet,
      lifecyclePath: lifecycle,
      stackImage,
      appName: "bench",
      tags: [`${repository}:${tag}`],
      time: defaultImageTime,
      baseLayers: stream ? "stream" : "reference",
    },
    { images },
  );
  return { built, ms: performance.now() - started };
}

async function measure(
  dir: string,
  lifecycle: string,
  mb: number,
  withStream: boolean,
): Promise<Row> {
  const a = await writeDroplet(dir, `a-${mb}`, mb);
  const b = await writeDroplet(dir, `b-${mb}`, mb);
  const first = await timedBuild(a, lifecycle, `${mb}mb-a`);
  const second = await timedBuild(b, lifecycle, `${mb}mb-b`);
  const again = await timedBuild(a, lifecycle, `${mb}mb-a-again`);
  const streamedMs = withStream
    ? (await timedBuild(a, lifecycle, `${mb}mb-a-streamed`, true)).ms
    : undefined;
  await rm(a);
  await rm(b);
  return { dropletMb: mb, first, second, again, streamedMs };
}

function report(rows: Row[]): string {
  const lines = [
    "| droplet (tgz) | droplet layer | image | build | rebuild, new droplet | layers shared | same droplet again | same id | stack streamed |",
    "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | :---: | ---: |",
  ];
  for (const row of rows) {
    const { first, second, again } = row;
    const shared = first.built.diffIds.filter((id, i) => second.built.diffIds[i] === id).length;
    lines.push(
      `| ${formatByteSize(first.built.dropletFileBytes)} | ${formatByteSize(first.built.dropletLayerBytes)} ` +
        `| ${formatByteSize(first.built.sizeBytes)} | ${seconds(first.ms)} | ${seconds(second.ms)} ` +
        `| ${shared} of ${second.built.diffIds.length} | ${seconds(again.ms)} | ${again.built.id === first.built.id ? "yes" : "NO"} ` +
        `| ${row.streamedMs === undefined ? "—" : seconds(row.streamedMs)} |`,
    );
  }
  return lines.join("\n");
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

async function cleanUp(): Promise<void> {
  for (const image of await images.findImages("io.restager.managed", "true")) {
    for (const tag of image.repoTags.filter((t) => t.startsWith(`${repository}:`)))
      await images.untag(tag);
  }
}

async function main(): Promise<void> {
  const quick = process.argv.includes("--quick");
  const sizes = quick ? [1, 10] : [1, 10, 50, 200];
  if (!(await images.inspect(stackImage)))
    throw new Error(`${stackImage} is missing: run 'npm run setup'`);
  const dir = await mkdtemp(join(tmpdir(), "restager-image-bench-"));
  const rows: Row[] = [];
  try {
    const lifecycle = (await buildLifecycleTgz(dir)).path;
    await timedBuild(await writeDroplet(dir, "warmup", 1), lifecycle, "warmup");
    for (const mb of sizes) {
      rows.push(await measure(dir, lifecycle, mb, mb <= 10));
      process.stderr.write(`measured ${mb} MB\n`);
    }
  } finally {
    await cleanUp();
    await rm(dir, { recursive: true, force: true });
  }
  process.stdout.write(`${report(rows)}\n`);
  process.stdout.write(
    `\nStack ${stackImage}: ${formatByteSize((await images.inspect(stackImage))?.sizeBytes ?? 0)}; ` +
      `each droplet also holds 2,000 small files; times are wall clock on this machine.\n`,
  );
}

await main();
