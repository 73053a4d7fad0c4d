import { describe, expect, it } from 'vitest';
import { validateDisplayName, validateLabels } from './labels.ts';

describe('PipelineJob labels and display name', () => {
  it('accepts Google Cloud label syntax', () => {
    expect(() =>
      validateLabels({ pipeline: 'penguins', trigger_kind: 'pubsub', 'run-id': '', a1: 'x-y_z9' }),
    ).not.toThrow();
  });

  it.each([
    [{ Pipeline: 'x' }, 'Invalid label key "Pipeline"'],
    [{ '1abc': 'x' }, 'Invalid label key "1abc"'],
    [{ 'a.b': 'x' }, 'Invalid label key "a.b"'],
    [{ k: 'Penguins' }, 'Invalid value "Penguins" of label "k"'],
    [{ k: 'a:b' }, 'Invalid value "a:b"'],
    [{ k: 'x'.repeat(64) }, 'of label "k"'],
  ])('rejects %j', (labels, message) => {
    expect(() => validateLabels(labels)).toThrow(message);
  });

  it('rejects more than 64 labels and display names over 128 bytes', () => {
    expect(() =>
      validateLabels(Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${i}`, 'v']))),
    ).toThrow('Too many labels');
    expect(() => validateDisplayName('é'.repeat(64))).not.toThrow();
    expect(() => validateDisplayName('é'.repeat(65))).toThrow('130 bytes');
  });
});
