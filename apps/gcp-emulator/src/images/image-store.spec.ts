import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseDockerfile } from './dockerfile.ts';
import { createDockerignore } from './dockerignore.ts';
import { createLocalImageStore, normalizeRef } from './image-store.ts';

describe('parseDockerfile', () => {
  it('keeps the last stage runtime config and lists what it cannot run', () => {
    const config = parseDockerfile(
      [
        'FROM node:24 AS build',
        'RUN npm ci',
        'FROM node:24-slim',
        'WORKDIR /app',
        'WORKDIR sub',
        'ENV A=1 B="two words" \\',
        '    C=3',
        'ENV LEGACY value with spaces',
        'COPY . .',
        'RUN echo hi',
        'ENTRYPOINT ["node", "main.js"]',
        'CMD --flag',
      ].join('\n'),
    );
    expect(config).toMatchObject({
      from: 'node:24-slim',
      workdir: '/app/sub',
      entrypoint: ['node', 'main.js'],
      cmd: ['/bin/sh', '-c', '--flag'],
      env: { A: '1', B: 'two words', C: '3', LEGACY: 'value with spaces' },
      ignored: ['RUN npm ci', 'RUN echo hi'],
    });
  });
});

describe('createDockerignore', () => {
  it('matches directories, globs and exceptions', () => {
    const ignored = createDockerignore('# comment\nnode_modules\n*.log\n!keep.log\n/build/\n**/*.tmp\n');
    expect(ignored('node_modules')).toBe(true);
    expect(ignored('node_modules/x/y.js')).toBe(true);
    expect(ignored('debug.log')).toBe(true);
    expect(ignored('keep.log')).toBe(false);
    expect(ignored('build/out.js')).toBe(true);
    expect(ignored('deep/a/b.tmp')).toBe(true);
    expect(ignored('src/main.js')).toBe(false);
  });
});

describe('local image store', () => {
  const dirs: string[] = [];
  const tmp = (): string => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'image-store-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  const context = (files: Record<string, string>): string => {
    const dir = tmp();
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      writeFileSync(path.join(dir, name), text);
    }
    return dir;
  };

  it('is content-addressed: same content and config give the same digest, any change a new one', async () => {
    const store = createLocalImageStore(tmp());
    const files = {
      Dockerfile: 'FROM node:24\nENTRYPOINT ["node","a.js"]\n',
      'a.js': 'console.log(1)\n',
      '.dockerignore': 'junk\n',
      'junk/x': 'x',
    };
    const first = await store.build(context(files), ['r/app:1']);
    const same = await store.build(context({ ...files, 'junk/x': 'changed but ignored' }), ['r/app:2']);
    const code = await store.build(context({ ...files, 'a.js': 'console.log(2)\n' }), ['r/app:3']);
    const config = await store.build(
      context({ ...files, Dockerfile: 'FROM node:24\nENTRYPOINT ["node","b.js"]\n' }),
      ['r/app:4'],
    );
    expect(first.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(same.digest).toBe(first.digest);
    expect(code.digest).not.toBe(first.digest);
    expect(config.digest).not.toBe(first.digest);
  });

  it('follows COPY instructions relative to the final WORKDIR', async () => {
    const store = createLocalImageStore(tmp());
    const ctx = context({
      Dockerfile: [
        'FROM node:24-slim',
        'WORKDIR /app',
        'COPY dist/ ./',
        'COPY config/settings.json conf/settings.json',
        'COPY *.md docs/',
        'COPY other.txt /etc/other.txt',
        'COPY --from=build /out/x ./x',
      ].join('\n'),
      'dist/main.js': 'main',
      'dist/lib/util.js': 'util',
      'config/settings.json': '{}',
      'README.md': 'readme',
      'NOTES.md': 'notes',
      'other.txt': 'other',
      'src/ignored-by-omission.ts': 'x',
    });
    const built = await store.build(ctx, ['r/copy:1']);
    const image = await store.resolve('r/copy:1');
    const root = image?.rootDir ?? '';
    const read = (rel: string): string | undefined => {
      try {
        return readFileSync(path.join(root, rel), 'utf8');
      } catch {
        return undefined;
      }
    };
    expect(read('main.js')).toBe('main');
    expect(read('lib/util.js')).toBe('util');
    expect(read('conf/settings.json')).toBe('{}');
    expect(read('docs/README.md')).toBe('readme');
    expect(read('docs/NOTES.md')).toBe('notes');
    expect(read('src/ignored-by-omission.ts')).toBeUndefined();
    expect(read('other.txt')).toBeUndefined();
    expect(built.ignored.join('\n')).toMatch(/\/etc\/other.txt is outside WORKDIR \/app/);
    expect(built.ignored.join('\n')).toMatch(/--from=build/);
    await expect(
      store.build(context({ Dockerfile: 'FROM x\nCOPY missing.txt .\n' }), ['r/bad:1']),
    ).rejects.toThrow(/file not found in build context: missing.txt/);
  });

  it('resolves by tag, default tag and digest; tags move; unknown refs are undefined', async () => {
    const store = createLocalImageStore(tmp());
    const built = await store.build(
      context({ Dockerfile: 'FROM x\nENV K=v\nCMD ["run"]\n', 'f.txt': 'hi' }),
      ['reg.io/p/img'],
    );
    const byTag = await store.resolve('reg.io/p/img:latest');
    expect(byTag).toMatchObject({ digest: built.digest, cmd: ['run'], entrypoint: [], env: { K: 'v' } });
    expect((await store.resolve(`reg.io/p/img@${built.digest}`))?.rootDir).toBe(byTag?.rootDir);
    expect(await store.tag('reg.io/p/img', 'localhost:5000/img:v2')).toBe(true);
    expect((await store.resolve('localhost:5000/img:v2'))?.digest).toBe(built.digest);
    expect(await store.resolve('reg.io/p/other:1')).toBeUndefined();
    expect(await store.resolve('reg.io/p/img@sha256:0000')).toBeUndefined();
    expect(normalizeRef('localhost:5000/img')).toBe('localhost:5000/img:latest');
  });
});
