/**
 * The image's contents: the bundle script's output, run from a directory outside the repository
 * (no node_modules to fall back on) exactly as the image runs it: `node penguins.js <component>`.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const exec = promisify(execFile);
const BUNDLE_SCRIPT = fileURLToPath(new URL('../scripts/bundle.mjs', import.meta.url));
// 60 s: bundling takes ~2 s and a component ~1 s; the bound only stops a hung process.
const TIMEOUT_MS = 60_000;

let dir = '';
let dist = '';
const inImage = (...args: string[]): Promise<{ stdout: string }> =>
  exec(process.execPath, ['penguins.js', ...args], {
    cwd: dist,
    timeout: TIMEOUT_MS,
    env: { ...process.env, CONVEYOR_GCS_MOUNT: join(dir, 'gcs') },
  });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'penguins-bundle-'));
  dist = join(dir, 'app');
  await exec(process.execPath, [BUNDLE_SCRIPT, dist], { timeout: TIMEOUT_MS });
}, TIMEOUT_MS);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('bundle', () => {
  it('holds only the bundle, its data, an ESM marker and the Dockerfile', async () => {
    expect((await readdir(dist)).sort()).toEqual([
      'Dockerfile',
      'package.json',
      'penguins.js',
      'penguins.json',
    ]);
    expect(await readFile(join(dist, 'Dockerfile'), 'utf8')).toMatch(
      /^FROM node:24-slim$[\s\S]*^WORKDIR \/app$[\s\S]*^COPY \. \.\/$/m,
    );
  });

  it('runs example-gen, trainer and evaluator self-contained, data read from gs:// through the mount', async () => {
    const builtIn = await inImage(
      'example-gen',
      '--train_examples',
      join(dir, 't0'),
      '--eval_examples',
      join(dir, 'e0'),
    );
    expect(builtIn.stdout).toContain(`reading ${join(dist, 'penguins.json')}`);
    // The same data as a CSV object in a bucket, reached as <mount>/<bucket>/<object>.
    const records = JSON.parse(await readFile(join(dist, 'penguins.json'), 'utf8')) as Record<
      string,
      unknown
    >[];
    const header = Object.keys(records[0] ?? {});
    const csv = [
      header.join(','),
      ...records.map((r) => header.map((h) => String(r[h] ?? 'NA')).join(',')),
    ].join('\n');
    await mkdir(join(dir, 'gcs', 'bucket', 'data'), { recursive: true });
    await writeFile(join(dir, 'gcs', 'bucket', 'data', 'penguins.csv'), csv);
    const gen = await inImage(
      'example-gen',
      '--data_uri',
      'gs://bucket/data/penguins.csv',
      '--train_examples',
      join(dir, 'train'),
      '--eval_examples',
      join(dir, 'eval'),
    );
    expect(gen.stdout).toContain(`reading ${join(dir, 'gcs', 'bucket', 'data', 'penguins.csv')}`);
    expect(gen.stdout).toContain('266 train, 67 eval');
    expect(await readFile(join(dir, 'eval', 'data.json'), 'utf8')).toBe(
      await readFile(join(dir, 'e0', 'data.json'), 'utf8'),
    );
    await inImage(
      'trainer',
      '--train_examples',
      join(dir, 'train'),
      '--num_epochs',
      '3',
      '--learning_rate',
      '0.01',
      '--model',
      join(dir, 'model'),
    );
    const ev = await inImage(
      'evaluator',
      '--model',
      join(dir, 'model'),
      '--eval_examples',
      join(dir, 'eval'),
      '--metrics',
      join(dir, 'm'),
      '--blessed',
      join(dir, 'b'),
    );
    expect(ev.stdout).toContain('BLESSED');
  });
});
