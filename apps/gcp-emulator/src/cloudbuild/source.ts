import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { GcsClient } from '../context.ts';

const exec = promisify(execFile);

/** Downloads a `source.storageSource` tarball (.tar.gz / .tgz / .tar) and unpacks it into the workspace. */
export async function fetchStorageSource(
  gcs: GcsClient,
  source: { bucket: string; object: string },
  workspace: string,
  buildDir: string,
): Promise<void> {
  const archive = path.join(buildDir, 'source.tgz');
  await writeFile(archive, await gcs.readObject(source.bucket, source.object));
  const gzip = /\.(tgz|tar\.gz)$/.test(source.object) || !source.object.endsWith('.tar');
  await exec('tar', [gzip ? '-xzf' : '-xf', archive, '-C', workspace]);
}
