import { describe, expect, it } from 'vitest';
import { buildTagFor, pipelineJobIdFor, summarizeRun } from './ids.ts';
import { TrainingRunRequestSchema } from './request.ts';

describe('pipelineJobIdFor', () => {
  it('keeps a valid workflow id as it is', () => {
    expect(pipelineJobIdFor('penguins-12345')).toBe('penguins-12345');
  });
  it('rewrites invalid ids to [a-z0-9-], starting with a letter, ≤128, stable and distinct', () => {
    const a = pipelineJobIdFor('Penguins_ABC');
    const b = pipelineJobIdFor('penguins_abc');
    for (const id of [a, b, pipelineJobIdFor('9abc'), pipelineJobIdFor('x'.repeat(300))]) {
      expect(id).toMatch(/^[a-z][a-z0-9-]{0,127}$/);
    }
    expect(a).not.toBe(b);
    expect(pipelineJobIdFor('Penguins_ABC')).toBe(a);
  });
});

describe('buildTagFor', () => {
  it('makes a valid Cloud Build tag', () => {
    expect(buildTagFor('penguins-1')).toBe('conveyor-run-penguins-1');
    expect(buildTagFor('a b/c'.repeat(60))).toMatch(/^[\w][\w.-]{0,127}$/);
  });
});

describe('summarizeRun', () => {
  it('reads like the Web UI summary', () => {
    expect(
      summarizeRun({
        pipeline: 'penguins',
        parameters: { num_epochs: 3, learning_rate: 0.01 },
        trigger: { kind: 'pubsub' },
      }),
    ).toBe('penguins · num_epochs=3 learning_rate=0.01 · pubsub');
  });
});

describe('TrainingRunRequestSchema', () => {
  it('applies defaults and names bad fields', () => {
    const ok = TrainingRunRequestSchema.parse({
      pipeline: 'penguins',
      source: { repoUrl: '/tmp/repo', branch: 'main' },
      trigger: { kind: 'manual', id: 'me', at: '2026-01-01T00:00:00Z' },
    });
    expect(ok.parameters).toEqual({});
    const bad = TrainingRunRequestSchema.safeParse({
      pipeline: 'penguins',
      source: {},
      trigger: { kind: 'email' },
    });
    expect(bad.success).toBe(false);
    const paths = bad.error?.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['source.repoUrl', 'trigger.kind']));
  });
});
