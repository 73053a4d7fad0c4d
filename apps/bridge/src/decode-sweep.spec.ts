import { describe, expect, it } from 'vitest';
import { decodeMessage, type DecodeOptions } from './decode.ts';
import type { IncomingMessage } from './message.ts';

const options: DecodeOptions = {
  defaultPipeline: 'penguins',
  maxMessageBytes: 64 * 1024,
  repoUrl: '/repo',
  defaultBranch: 'main',
  triggerKind: 'pubsub',
};

function sweep(body: unknown, attributes: Record<string, string> = {}): IncomingMessage {
  return {
    id: '7',
    data: Buffer.from(JSON.stringify(body)),
    attributes: { kind: 'sweep', ...attributes },
    publishTime: new Date('2026-01-02T03:04:05Z'),
  };
}

describe('sweep messages (kind=sweep)', () => {
  it('decodes a grid sweep into a trainingSweep request, with defaults', () => {
    const r = decodeMessage(
      sweep({ grid: { num_epochs: [2, '10'], learning_rate: [0.001, '1e-2'] }, parameters: { seed: 3 } }),
      options,
    );
    if (!r.ok || r.kind !== 'sweep') throw new Error(JSON.stringify(r));
    expect(r.request).toMatchObject({
      pipeline: 'penguins',
      grid: { num_epochs: [2, '10'], learning_rate: [0.001, '1e-2'] },
      parameters: { seed: 3 },
      parallel: 2,
      metric: 'accuracy',
      goal: 'max',
      rebuild: false,
      source: { repoUrl: '/repo', branch: 'main' },
      trigger: { kind: 'pubsub', id: '7', at: '2026-01-02T03:04:05.000Z' },
    });
    expect(r.workflowId).toBe('penguins-sweep-msg-7');
  });

  it('takes random search, parallelism, metric, goal, and the runKey, branch, commit, rebuild attributes', () => {
    const r = decodeMessage(
      sweep(
        {
          grid: { num_epochs: [1, 2, 3, 4] },
          random: { count: 2, seed: 9 },
          parallel: 3,
          metric: 'loss',
          goal: 'min',
        },
        { runKey: 'weekly', branch: 'dev', commit: 'abcdef1', rebuild: 'true' },
      ),
      options,
    );
    if (!r.ok || r.kind !== 'sweep') throw new Error(JSON.stringify(r));
    expect(r.request).toMatchObject({
      random: { count: 2, seed: 9 },
      parallel: 3,
      metric: 'loss',
      goal: 'min',
      rebuild: true,
      source: { repoUrl: '/repo', branch: 'dev', commit: 'abcdef1' },
    });
    // A sweep's run key is not a run's: runKey=weekly on a run message is another workflow.
    expect(r.workflowId).toBe('penguins-sweep-key-weekly');
  });

  it.each([
    [{}, 'grid: '],
    [{ grid: {} }, 'grid: give at least one grid parameter'],
    [{ grid: { num_epochs: [] } }, 'grid.num_epochs: give at least one value'],
    [{ grid: { num_epochs: [1] }, parallel: 100 }, 'parallel: '],
    [{ grid: { num_epochs: [1] }, goal: 'best' }, 'goal: '],
    [
      { grid: { num_epochs: [1] }, parameters: { num_epochs: 2 } },
      "grid.num_epochs: 'num_epochs' is both swept and fixed",
    ],
    [
      { grid: { num_epochs: [1] }, grids: {} },
      'grids: not a sweep field (expected grid, parameters, random, parallel, metric, goal)',
    ],
  ])('dead-letters an invalid sweep as invalid-request, naming the field: %j', (body, detail) => {
    const r = decodeMessage(sweep(body), options);
    expect(r).toMatchObject({ ok: false, reason: 'invalid-request' });
    expect(r.ok ? '' : r.detail).toContain(detail);
  });

  it('types every trial with the one typing function and names the trial and parameter', () => {
    const r = decodeMessage(sweep({ grid: { num_epochs: [3, 1e9], learning_rate: [0.01, 2] } }), options);
    expect(r).toMatchObject({ ok: false, reason: 'invalid-parameters' });
    const detail = r.ok ? '' : r.detail;
    expect(detail).toContain(
      'trial 1 ({"num_epochs":3,"learning_rate":2}): learning_rate: expected at most 1 (max), got 2',
    );
    expect(detail).toContain(
      'trial 2 ({"num_epochs":1000000000,"learning_rate":0.01}): num_epochs: expected at most 1000 (max), got 1000000000',
    );
    expect(detail).not.toContain('trial 0');
  });

  it('refuses operator settings and unknown parameters in the shared parameters too', () => {
    const r = decodeMessage(
      sweep({ grid: { num_epochs: [3] }, parameters: { serving_root: 'gs://x/y', epochs: 1 } }),
      options,
    );
    expect(r).toMatchObject({ ok: false, reason: 'invalid-parameters' });
    expect(r.ok ? '' : r.detail).toMatch(/epochs: unknown parameter.*serving_root: is an operator setting/);
  });

  it('refuses an unknown pipeline and a spec attribute', () => {
    expect(decodeMessage(sweep({ grid: { num_epochs: [3] } }, { pipeline: 'nope' }), options)).toMatchObject({
      ok: false,
      reason: 'unknown-pipeline',
    });
    expect(
      decodeMessage(sweep({ grid: { num_epochs: [3] } }, { spec: 'gs://b/s.json' }), {
        ...options,
        specPrefixes: ['gs://b/'],
      }),
    ).toEqual({
      ok: false,
      reason: 'spec-not-allowed',
      detail: 'spec: a sweep builds its image; specs are for single runs',
    });
  });
});
