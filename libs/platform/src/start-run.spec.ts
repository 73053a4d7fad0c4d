import type { Client } from '@temporalio/client';
import { describe, expect, it, vi } from 'vitest';
import { startTrainingRun } from './start-run.ts';

describe('startTrainingRun', () => {
  it('refuses a repository URL with credentials before anything reaches the server (memo, history)', async () => {
    const start = vi.fn();
    const client = { workflow: { start } } as unknown as Client;
    const error = await startTrainingRun(
      client,
      {
        pipeline: 'penguins',
        source: { repoUrl: 'https://x-access-token:ghp_abc123@github.com/o/r.git', branch: 'main' },
        trigger: { kind: 'manual', id: 'me', at: '2026-01-02T03:04:05Z' },
      },
      { workflowId: 'penguins-x' },
    ).catch((e: unknown) => e);
    expect(String(error)).toMatch(/must not carry credentials/);
    expect(String(error)).not.toContain('ghp_abc123');
    expect(start).not.toHaveBeenCalled();
  });
});
