import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GcsClient } from '../context.ts';
import { createLocalImageStore } from '../images/image-store.ts';
import { runInlineTool } from './inline-tools.ts';

/** An in-memory GcsClient: objects keyed `bucket/name`. */
function memoryGcs(): GcsClient & { objects: Map<string, Buffer> } {
  const objects = new Map<string, Buffer>();
  return {
    endpoint: 'memory://',
    objects,
    async readObject(bucket, name) {
      const data = objects.get(`${bucket}/${name}`);
      if (!data) throw new Error(`no object ${bucket}/${name}`);
      return data;
    },
    async writeObject(bucket, name, data) {
      objects.set(`${bucket}/${name}`, Buffer.from(data));
    },
    async listObjects(bucket, prefix) {
      return [...objects.keys()]
        .filter((k) => k.startsWith(`${bucket}/${prefix}`))
        .map((k) => k.slice(bucket.length + 1));
    },
    async ensureBucket() {},
  };
}

describe('inline gsutil / gcloud storage / docker', () => {
  let dir: string;
  let gcs: ReturnType<typeof memoryGcs>;
  let lines: string[];
  const run = (tool: 'gsutil' | 'gcloud' | 'docker', args: string[]) =>
    runInlineTool(tool, {
      args,
      cwd: dir,
      signal: new AbortController().signal,
      log: (l) => lines.push(l),
      images: createLocalImageStore(path.join(dir, '.images')),
      gcs,
    });
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'inline-tools-'));
    gcs = memoryGcs();
    lines = [];
    mkdirSync(path.join(dir, 'out', 'sub'), { recursive: true });
    writeFileSync(path.join(dir, 'out', 'a.txt'), 'A');
    writeFileSync(path.join(dir, 'out', 'sub', 'b.txt'), 'B');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('copies a file to an exact object name, into a "folder", and back to a local path', async () => {
    expect(await run('gsutil', ['-m', 'cp', 'out/a.txt', 'gs://bkt/exact/name.txt'])).toBe(0);
    expect(await run('gsutil', ['cp', 'out/a.txt', 'gs://bkt/folder/'])).toBe(0);
    expect([...gcs.objects.keys()].sort()).toEqual(['bkt/exact/name.txt', 'bkt/folder/a.txt']);
    expect(await run('gcloud', ['storage', 'cp', 'gs://bkt/exact/name.txt', 'copy.txt'])).toBe(0);
    expect(readFileSync(path.join(dir, 'copy.txt'), 'utf8')).toBe('A');
  });

  it('copies directories recursively both ways, and refuses a directory without -r', async () => {
    expect(await run('gsutil', ['cp', 'out', 'gs://bkt/x'])).toBe(1);
    expect(lines.join('\n')).toMatch(/cp -r/);
    expect(await run('gcloud', ['storage', 'cp', '--recursive', 'out', 'gs://bkt/x'])).toBe(0);
    expect([...gcs.objects.keys()].sort()).toEqual(['bkt/x/out/a.txt', 'bkt/x/out/sub/b.txt']);
    expect(await run('gsutil', ['cp', '-r', 'gs://bkt/x/out', 'restored/'])).toBe(0);
    expect(readFileSync(path.join(dir, 'restored', 'out', 'sub', 'b.txt'), 'utf8')).toBe('B');
  });

  it('fails on a missing source and on commands it does not emulate, saying so', async () => {
    expect(await run('gsutil', ['cp', 'nope.txt', 'gs://bkt/'])).toBe(1);
    expect(await run('gcloud', ['run', 'deploy', 'x'])).toBe(1);
    expect(await run('docker', ['run', 'alpine'])).toBe(1);
    expect(lines.join('\n')).toMatch(/No URLs matched: nope.txt/);
    expect(lines.join('\n')).toMatch(/gcloud run deploy is not emulated/);
    expect(lines.join('\n')).toMatch(/docker run is not available/);
  });

  it('docker build + push + tag through the local image store', async () => {
    writeFileSync(path.join(dir, 'out', 'Dockerfile'), 'FROM scratch\nCMD ["a"]\n');
    expect(await run('docker', ['push', 'r/img:1'])).toBe(1);
    expect(
      await run('docker', ['build', '--build-arg', 'X=1', '-t', 'r/img:1', '--file=out/Dockerfile', 'out']),
    ).toBe(0);
    expect(await run('docker', ['push', 'r/img:1'])).toBe(0);
    expect(await run('docker', ['tag', 'r/img:1', 'r/img:2'])).toBe(0);
    expect(lines.join('\n')).toMatch(/r\/img:1: digest: sha256:[0-9a-f]{64}/);
  });
});
