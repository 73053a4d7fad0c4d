import { existsSync, statSync } from 'node:fs';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseGsUri } from '../gcs/gcs-client.ts';
import type { InlineToolContext } from './inline-tools.ts';

/** `gsutil [-m] [-q] cp|cat|ls ...` through the GCS client. */
export async function gsutilCommand(ctx: InlineToolContext): Promise<number> {
  const args = [...ctx.args];
  while (args[0]?.startsWith('-')) args.shift(); // top-level flags: -m, -q, ...
  const [command, ...rest] = args;
  return storageCommand(command ?? '', rest, ctx, 'gsutil');
}

/** `gcloud storage cp|cat|ls ...` through the GCS client; other gcloud commands are not emulated. */
export async function gcloudCommand(ctx: InlineToolContext): Promise<number> {
  const [group, command, ...rest] = ctx.args;
  if (group !== 'storage') {
    ctx.log(
      `gcloud ${ctx.args.slice(0, 2).join(' ')} is not emulated: only "gcloud storage cp|cat|ls" work locally`,
    );
    return 1;
  }
  return storageCommand(command ?? '', rest, ctx, 'gcloud storage');
}

async function storageCommand(
  command: string,
  args: string[],
  ctx: InlineToolContext,
  tool: string,
): Promise<number> {
  const recursive = args.some((a) => a === '-r' || a === '-R' || a === '--recursive');
  const operands = args.filter((a) => !a.startsWith('-'));
  if (command === 'cat') {
    for (const uri of operands) {
      const { bucket, name } = parseGsUri(uri);
      for (const line of (await ctx.gcs.readObject(bucket, name)).toString('utf8').split('\n')) ctx.log(line);
    }
    return 0;
  }
  if (command === 'ls') {
    for (const uri of operands) {
      const { bucket, name } = parseGsUri(uri);
      for (const object of await ctx.gcs.listObjects(bucket, name)) ctx.log(`gs://${bucket}/${object}`);
    }
    return 0;
  }
  if (command !== 'cp') {
    ctx.log(`${tool} ${command} is not emulated: only cp, cat and ls work locally`);
    return 1;
  }
  if (operands.length < 2) throw new Error(`${tool} cp needs a source and a destination`);
  const destination = operands[operands.length - 1] ?? '';
  const sources = operands.slice(0, -1);
  for (const source of sources) await copy(source, destination, recursive, sources.length > 1, ctx);
  return 0;
}

async function copy(
  source: string,
  destination: string,
  recursive: boolean,
  many: boolean,
  ctx: InlineToolContext,
): Promise<void> {
  const toGcs = destination.startsWith('gs://');
  if (source.startsWith('gs://')) {
    const { bucket, name } = parseGsUri(source);
    const objects = recursive ? await ctx.gcs.listObjects(bucket, name) : [name];
    if (objects.length === 0) throw new Error(`No URLs matched: ${source}`);
    for (const object of objects) {
      const data = await ctx.gcs.readObject(bucket, object);
      const rel = recursive
        ? path.posix.join(
            path.posix.basename(name.replace(/\/$/, '')),
            object.slice(name.length).replace(/^\//, ''),
          )
        : path.posix.basename(object);
      await put(data, rel, destination, toGcs, many || recursive, ctx);
      ctx.log(`Copying gs://${bucket}/${object} → ${destination}`);
    }
    return;
  }
  const local = path.resolve(ctx.cwd, source);
  if (!existsSync(local)) throw new Error(`No URLs matched: ${source}`);
  if (statSync(local).isDirectory()) {
    if (!recursive) throw new Error(`Omitting directory "${source}" (did you mean to do cp -r?)`);
    for (const rel of await listFiles(local)) {
      await put(
        await readFile(path.join(local, rel)),
        path.posix.join(path.basename(local), rel),
        destination,
        toGcs,
        true,
        ctx,
      );
    }
    ctx.log(`Copying ${source} → ${destination}`);
    return;
  }
  await put(await readFile(local), path.basename(local), destination, toGcs, many, ctx);
  ctx.log(`Copying file://${local} → ${destination}`);
}

/**
 * Writes one file. `rel` is the source-relative name (basename, or `dir/sub/file` for recursive
 * copies); it is appended when the destination is a bucket root, ends with `/`, is an existing
 * local directory, or several sources go to one place (gsutil's rules, roughly).
 */
async function put(
  data: Buffer,
  rel: string,
  destination: string,
  toGcs: boolean,
  asContainer: boolean,
  ctx: InlineToolContext,
): Promise<void> {
  if (toGcs) {
    const { bucket, name } = parseGsUri(destination);
    const container = asContainer || name === '' || name.endsWith('/');
    const object = container ? path.posix.join(name, rel) : name;
    await ctx.gcs.writeObject(bucket, object, data);
    return;
  }
  const target = path.resolve(ctx.cwd, destination);
  const container =
    asContainer || destination.endsWith('/') || (existsSync(target) && statSync(target).isDirectory());
  const file = container ? path.join(target, rel) : target;
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, data);
}

async function listFiles(dir: string, rel = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(path.join(dir, rel), { withFileTypes: true })) {
    const child = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await listFiles(dir, child)));
    else if (entry.isFile()) out.push(child);
  }
  return out;
}
