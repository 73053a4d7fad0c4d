import { readFileSync } from 'node:fs';
import { workerNodeFlags } from '@conveyor/platform/node-flags';
import { repoPath } from '@conveyor/platform/repo-root';
import { describe, expect, it } from 'vitest';

describe('the worker process runs with workerNodeFlags wherever it is started', () => {
  it('the image: the Dockerfile CMD', () => {
    const dockerfile = readFileSync(repoPath('apps', 'worker', 'Dockerfile'), 'utf8');
    const cmd = /^CMD (\[.*\])$/m.exec(dockerfile)?.[1];
    expect(JSON.parse(cmd ?? '[]')).toEqual(['node', ...workerNodeFlags, 'apps/worker/src/main.ts']);
  });

  it('npm start -w @conveyor/worker', () => {
    const pkg = JSON.parse(readFileSync(repoPath('apps', 'worker', 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts['start']).toBe(['node', ...workerNodeFlags, 'src/main.ts'].join(' '));
  });
});
