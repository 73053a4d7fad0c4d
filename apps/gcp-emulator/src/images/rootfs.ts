import { cp, mkdir, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { DockerfileConfig } from './dockerfile.ts';

/**
 * Fills `rootfs` (which stands for the image's final WORKDIR) from the build context. Without
 * COPY/ADD instructions the whole context is taken (the common `COPY . .` case); with them, each
 * instruction's sources land where Docker would put them relative to that WORKDIR. `.git` and
 * `.dockerignore`d paths never enter.
 * @returns warnings for the build log (copies outside WORKDIR are dropped).
 * @throws Error when a COPY source is not in the context.
 */
export async function assembleRootfs(
  contextDir: string,
  rootfs: string,
  config: DockerfileConfig,
  ignored: (relPath: string) => boolean,
): Promise<string[]> {
  const filter = (src: string): boolean => {
    const rel = path.relative(contextDir, src).split(path.sep).join('/');
    return rel === '' || !(rel === '.git' || rel.startsWith('.git/') || ignored(rel));
  };
  await mkdir(rootfs, { recursive: true });
  if (config.copies.length === 0) {
    await cp(contextDir, rootfs, { recursive: true, verbatimSymlinks: true, filter });
    return [];
  }
  const warnings: string[] = [];
  const workdir = path.posix.resolve(config.workdir);
  for (const copy of config.copies) {
    const destAbs = path.posix.resolve(copy.workdir, copy.dest);
    const rel = path.posix.relative(workdir, destAbs);
    if (rel.startsWith('..') || path.posix.isAbsolute(rel)) {
      warnings.push(
        `COPY ${copy.sources.join(' ')} ${copy.dest}: ${destAbs} is outside WORKDIR ${workdir}, not in the snapshot`,
      );
      continue;
    }
    const matches = (await Promise.all(copy.sources.map((src) => expand(contextDir, src)))).flat();
    const destIsDir =
      copy.dest.endsWith('/') ||
      copy.dest === '.' ||
      matches.length > 1 ||
      copy.sources.some((s) => /[*?]/.test(s));
    for (const match of matches) {
      const source = path.join(contextDir, match);
      if (!filter(source)) continue;
      if ((await stat(source)).isDirectory()) {
        // Docker copies a directory's contents, not the directory itself.
        await cp(source, path.join(rootfs, rel), { recursive: true, verbatimSymlinks: true, filter });
      } else {
        const target = destIsDir ? path.join(rootfs, rel, path.basename(match)) : path.join(rootfs, rel);
        await mkdir(path.dirname(target), { recursive: true });
        await cp(source, target);
      }
    }
  }
  return warnings;
}

/** Context-relative paths a COPY source names; `*` and `?` are supported in the last segment. */
async function expand(contextDir: string, source: string): Promise<string[]> {
  const normalized = path.posix.normalize(source.replace(/^\/+/, ''));
  if (normalized.startsWith('..')) throw new Error(`COPY failed: ${source} is outside the build context`);
  const dir = path.posix.dirname(normalized);
  const base = path.posix.basename(normalized);
  if (!/[*?]/.test(base)) {
    try {
      await stat(path.join(contextDir, normalized));
      return [normalized];
    } catch {
      throw new Error(`COPY failed: file not found in build context: ${source}`);
    }
  }
  const re = new RegExp(
    `^${base
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
  const names = await readdir(path.join(contextDir, dir)).catch(() => [] as string[]);
  const found = names.filter((n) => re.test(n)).map((n) => path.posix.join(dir, n));
  if (found.length === 0) throw new Error(`COPY failed: no source files were specified by ${source}`);
  return found;
}
