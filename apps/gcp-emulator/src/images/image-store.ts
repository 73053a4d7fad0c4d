import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { lstat, mkdir, readFile, readdir, readlink, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ImageStore, LocalImage } from '../context.ts';
import { createDockerignore } from './dockerignore.ts';
import { parseDockerfile, type DockerfileConfig } from './dockerfile.ts';
import { writePackageBoundary } from './package-boundary.ts';
import { assembleRootfs } from './rootfs.ts';

/** Result of a local `docker build`. */
export interface LocalBuildResult {
  digest: string;
  /** Dockerfile instructions that were not executed (RUN, …). */
  ignored: string[];
  /** Number of files in the snapshot. */
  files: number;
}

/** The local image store: read side for the executors, `build`/`tag` for the docker builder. */
export interface LocalImageStore extends ImageStore {
  /** Directory of the store (blobs, tags.json). */
  readonly root: string;
  /**
   * Snapshots `contextDir` (minus `.dockerignore`d paths and `.git`) as an image and tags it.
   * @param dockerfile path of the Dockerfile (default `<contextDir>/Dockerfile`)
   */
  build(contextDir: string, tags: string[], dockerfile?: string): Promise<LocalBuildResult>;
  /** Adds a tag to an existing image. @returns false when `source` does not resolve. */
  tag(source: string, target: string): Promise<boolean>;
}

interface StoredConfig extends DockerfileConfig {
  digest: string;
}

/** `name` → `name:latest`; digests and explicit tags unchanged. */
export function normalizeRef(ref: string): string {
  if (ref.includes('@')) return ref;
  const lastSlash = ref.lastIndexOf('/');
  return ref.slice(lastSlash + 1).includes(':') ? ref : `${ref}:latest`;
}

/**
 * A content-addressed image store under `<root>`: `blobs/<hex>/rootfs` (the snapshot),
 * `blobs/<hex>/config.json` and `blobs/<hex>/package.json` (a boundary: see package-boundary.ts),
 * plus `tags.json` mapping `name:tag` → `sha256:<hex>`.
 */
export function createLocalImageStore(root: string): LocalImageStore {
  const tagsFile = path.join(root, 'tags.json');
  // Serialises tag-file updates: parallel build steps may tag at the same time.
  let tagLock: Promise<unknown> = Promise.resolve();

  const readTags = async (): Promise<Record<string, string>> => {
    try {
      return JSON.parse(await readFile(tagsFile, 'utf8')) as Record<string, string>;
    } catch {
      return {};
    }
  };
  const addTags = (tags: string[], digest: string): Promise<void> => {
    const next = tagLock.then(async () => {
      const all = await readTags();
      for (const tag of tags) all[normalizeRef(tag)] = digest;
      await mkdir(root, { recursive: true });
      const tmp = `${tagsFile}.${randomUUID()}.tmp`;
      await writeFile(tmp, JSON.stringify(all, null, 2));
      await rename(tmp, tagsFile);
    });
    tagLock = next.catch(() => undefined);
    return next;
  };
  const blobDir = (digest: string): string => path.join(root, 'blobs', digest.replace(/^sha256:/, ''));
  const digestOf = async (ref: string): Promise<string | undefined> => {
    const at = ref.indexOf('@');
    if (at >= 0) {
      const digest = ref.slice(at + 1);
      return existsSync(path.join(blobDir(digest), 'config.json')) ? digest : undefined;
    }
    return (await readTags())[normalizeRef(ref)];
  };

  return {
    root,
    async resolve(imageRef: string): Promise<LocalImage | undefined> {
      const digest = await digestOf(imageRef);
      if (!digest) return undefined;
      const dir = blobDir(digest);
      const config = JSON.parse(await readFile(path.join(dir, 'config.json'), 'utf8')) as StoredConfig;
      // Blobs stored by an older emulator have no boundary yet.
      writePackageBoundary(dir);
      return {
        uri: imageRef,
        digest,
        rootDir: path.join(dir, 'rootfs'),
        workdir: path.posix.resolve('/', config.workdir || '/'),
        entrypoint: config.entrypoint,
        cmd: config.cmd,
        env: config.env,
      };
    },
    async tag(source: string, target: string): Promise<boolean> {
      const digest = await digestOf(source);
      if (!digest) return false;
      await addTags([target], digest);
      return true;
    },
    async build(contextDir: string, tags: string[], dockerfile?: string): Promise<LocalBuildResult> {
      const dockerfilePath = dockerfile ?? path.join(contextDir, 'Dockerfile');
      const config = parseDockerfile(await readFile(dockerfilePath, 'utf8'));
      const ignoreFile = path.join(contextDir, '.dockerignore');
      const ignored = createDockerignore(existsSync(ignoreFile) ? await readFile(ignoreFile, 'utf8') : '');
      const tmp = path.join(root, 'tmp', randomUUID());
      const rootfs = path.join(tmp, 'rootfs');
      await mkdir(tmp, { recursive: true });
      try {
        const warnings = await assembleRootfs(contextDir, rootfs, config, ignored);
        const manifest = await snapshotManifest(rootfs);
        // The digest covers the snapshot and the runtime config (not how the snapshot was assembled).
        const runtime = {
          from: config.from,
          workdir: config.workdir,
          entrypoint: config.entrypoint,
          cmd: config.cmd,
          env: config.env,
        };
        const digest = `sha256:${createHash('sha256')
          .update(JSON.stringify({ manifest, config: runtime }))
          .digest('hex')}`;
        const stored: StoredConfig = { ...config, digest };
        await writeFile(path.join(tmp, 'config.json'), JSON.stringify(stored, null, 2));
        const target = blobDir(digest);
        if (!existsSync(target)) {
          await mkdir(path.dirname(target), { recursive: true });
          await rename(tmp, target).catch(async (e: unknown) => {
            // A parallel build of identical content won the rename; its blob is the same bytes.
            if (!existsSync(target)) throw e;
          });
        }
        writePackageBoundary(target);
        await addTags(tags, digest);
        return { digest, ignored: [...config.ignored, ...warnings], files: manifest.length };
      } finally {
        await rm(tmp, { recursive: true, force: true });
      }
    },
  };
}

/** Deterministic listing of a directory tree: `[relPath, kind+exec bit, sha256 or link target]`, sorted. */
async function snapshotManifest(dir: string): Promise<[string, string, string][]> {
  const out: [string, string, string][] = [];
  const walk = async (rel: string): Promise<void> => {
    const entries = await readdir(path.join(dir, rel));
    for (const name of entries.sort()) {
      const relPath = rel ? `${rel}/${name}` : name;
      const full = path.join(dir, relPath);
      const stat = await lstat(full);
      if (stat.isDirectory()) await walk(relPath);
      else if (stat.isSymbolicLink()) out.push([relPath, 'link', await readlink(full)]);
      else if (stat.isFile()) {
        const hash = createHash('sha256')
          .update(await readFile(full))
          .digest('hex');
        out.push([relPath, stat.mode & 0o111 ? 'exec' : 'file', hash]);
      }
    }
  };
  await walk('');
  return out;
}

/**
 * An argument as the image's processes see it here: a path under the image's WORKDIR (`/app/task.js`)
 * points into its snapshot; everything else is unchanged. A WORKDIR of `/` maps nothing (the snapshot
 * cannot stand for the whole filesystem).
 */
export function inImage(image: LocalImage, arg: string): string {
  const wd = image.workdir.replace(/\/+$/, '');
  if (!wd) return arg;
  if (arg === wd) return image.rootDir;
  return arg.startsWith(`${wd}/`) ? path.join(image.rootDir, arg.slice(wd.length + 1)) : arg;
}
