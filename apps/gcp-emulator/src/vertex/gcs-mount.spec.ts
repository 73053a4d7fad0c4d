import { mkdtemp, readFile, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { GcsClient } from '../context.ts';
import { findGcsUris, GcsMount } from './gcs-mount.ts';

function memoryGcs(objects: Record<string, string>): GcsClient & { objects: Map<string, string> } {
  const store = new Map(Object.entries(objects));
  return {
    endpoint: 'memory://',
    objects: store,
    async readObject(bucket, name) {
      const value = store.get(`${bucket}/${name}`);
      if (value === undefined) throw new Error(`404 ${bucket}/${name}`);
      return Buffer.from(value);
    },
    async writeObject(bucket, name, data) {
      store.set(`${bucket}/${name}`, data.toString());
    },
    async listObjects(bucket, prefix) {
      return [...store.keys()]
        .filter((k) => k.startsWith(`${bucket}/${prefix}`))
        .map((k) => k.slice(bucket.length + 1));
    },
    async ensureBucket() {},
  };
}

describe('GcsMount (staged /gcs)', () => {
  it('downloads an object and everything under it, not its prefix siblings', async () => {
    const gcs = memoryGcs({
      'b/x/model': 'm',
      'b/x/model/w.bin': 'w',
      'b/x/model2/other': 'o',
      'b/x/data.csv': 'd',
    });
    const mount = new GcsMount(await mkdtemp(join(tmpdir(), 'mount-')), gcs);
    // `a` and `a/b` cannot both be files: one of them is skipped.
    expect(await mount.download('gs://b/x/model')).toBe(1);
    expect(await readFile(mount.pathOf('gs://b/x/model/w.bin'), 'utf8')).toBe('w');
    expect(await mount.download('gs://b/x/data.csv')).toBe(1);
    await expect(readFile(mount.pathOf('gs://b/x/model2/other'))).rejects.toThrow();
  });

  it('uploads new and changed files only', async () => {
    const gcs = memoryGcs({ 'b/in/a.txt': 'a', 'b/in/keep.txt': 'k' });
    const mount = new GcsMount(await mkdtemp(join(tmpdir(), 'mount-')), gcs);
    await mount.download('gs://b/in');
    await writeFile(mount.pathOf('gs://b/in/a.txt'), 'changed');
    await mkdir(join(mount.root, 'other', 'deep'), { recursive: true });
    await writeFile(mount.pathOf('gs://other/deep/new.json'), '{}');
    expect((await mount.upload()).sort()).toEqual(['gs://b/in/a.txt', 'gs://other/deep/new.json']);
    expect(gcs.objects.get('b/in/a.txt')).toBe('changed');
    expect(gcs.objects.get('other/deep/new.json')).toBe('{}');
    expect(await mount.upload()).toEqual([]);
  });

  it('finds gs:// URIs in text', () => {
    expect(findGcsUris('--root=gs://models/serving "gs://b/x/y.csv", gs://bucket')).toEqual([
      'gs://models/serving',
      'gs://b/x/y.csv',
      'gs://bucket',
    ]);
  });
});
