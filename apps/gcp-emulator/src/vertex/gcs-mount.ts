/**
 * A per-task staging directory standing in for Vertex's Cloud Storage FUSE mount at `/gcs`.
 * Layout `<mount>/<bucket>/<object>`. Before the task, the objects it refers to are downloaded; after
 * it, every file that is new or changed is uploaded through the GcsClient. (fake-gcs-server's
 * filesystem backend keeps object metadata in xattrs or `.metadata` files beside the data and fails
 * listings for files written behind its back, so mapping straight onto its root is not safe.)
 */
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import type { GcsClient } from '../context.ts';

/** `gs://bucket/object` split; undefined when not a gs:// URI. */
export function parseGcsUri(uri: string): { bucket: string; name: string } | undefined {
  const m = /^gs:\/\/([^/]+)\/?(.*)$/.exec(uri);
  return m?.[1] ? { bucket: m[1], name: m[2] ?? '' } : undefined;
}

/** Every `gs://bucket/prefix` inside a text (parameter values, resolved arguments). */
export function findGcsUris(text: string): string[] {
  return [...text.matchAll(/gs:\/\/[a-z0-9][a-z0-9._-]*(?:\/[^\s"',;}\]]*)?/g)].map((m) => m[0]);
}

/** Guesses the content type of an uploaded file from its extension. */
function contentType(name: string): string {
  if (name.endsWith('.json')) return 'application/json';
  if (/\.(txt|log|csv|md)$/.test(name)) return 'text/plain';
  return 'application/octet-stream';
}

/** One task's mount directory. */
export class GcsMount {
  /** Absolute mount directory (`CONVEYOR_GCS_MOUNT`). */
  readonly root: string;
  private readonly gcs: GcsClient;
  /** Files as downloaded: relative path → "size:mtimeMs", to find what the task changed. */
  private readonly seen = new Map<string, string>();
  private readonly fetched = new Set<string>();

  constructor(root: string, gcs: GcsClient) {
    this.root = root;
    this.gcs = gcs;
  }

  /** The local path of a gs:// URI (the URI with `gs://` replaced by the mount). */
  pathOf(uri: string): string {
    const parsed = parseGcsUri(uri);
    if (!parsed) return uri;
    return join(this.root, parsed.bucket, parsed.name);
  }

  /**
   * Downloads the object `uri` names and every object under `uri/`.
   * @returns the number of objects downloaded.
   */
  async download(uri: string): Promise<number> {
    const parsed = parseGcsUri(uri);
    if (!parsed) return 0;
    const prefix = parsed.name.replace(/\/+$/, '');
    const key = `${parsed.bucket}/${prefix}`;
    if (this.fetched.has(key)) return 0;
    this.fetched.add(key);
    const names = await this.gcs.listObjects(parsed.bucket, prefix);
    // Deepest first: when both `a` and `a/b` exist, the directory (e.g. a model folder) wins.
    const depth = (n: string): number => n.split('/').length;
    const wanted = names
      .filter((n) => !n.endsWith('/') && (prefix === '' || n === prefix || n.startsWith(prefix + '/')))
      .sort((a, b) => depth(b) - depth(a));
    let count = 0;
    for (const name of wanted) {
      const local = join(this.root, parsed.bucket, name);
      const data = await this.gcs.readObject(parsed.bucket, name);
      try {
        await mkdir(dirname(local), { recursive: true });
        await writeFile(local, data);
      } catch {
        // `a` and `a/b` both exist as objects: a file system cannot hold both; `a/b` was written first.
        continue;
      }
      const info = await stat(local);
      this.seen.set(relative(this.root, local), `${info.size}:${info.mtimeMs}`);
      count++;
    }
    return count;
  }

  /** Creates the parent directory of a path, as the KFP launcher does for output artifacts. */
  async prepareOutput(uri: string): Promise<void> {
    await mkdir(dirname(this.pathOf(uri)), { recursive: true });
  }

  /**
   * Uploads every file that is new or changed since download.
   * @returns the gs:// URIs written.
   */
  async upload(): Promise<string[]> {
    const written: string[] = [];
    for (const file of await walk(this.root)) {
      const rel = relative(this.root, file);
      const info = await stat(file);
      if (this.seen.get(rel) === `${info.size}:${info.mtimeMs}`) continue;
      const [bucket, ...rest] = rel.split(sep);
      if (!bucket || rest.length === 0) continue;
      const name = rest.join('/');
      await this.gcs.writeObject(bucket, name, await readFile(file), contentType(name));
      this.seen.set(rel, `${info.size}:${info.mtimeMs}`);
      written.push(`gs://${bucket}/${name}`);
    }
    return written;
  }
}

async function walk(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const files: string[] = [];
  for (const entry of entries) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await walk(full)));
    else if (entry.isFile()) files.push(full);
  }
  return files;
}
