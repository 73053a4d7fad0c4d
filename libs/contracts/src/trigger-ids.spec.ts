import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashOf } from './ids.ts';
import {
  MAX_TRIGGER_ID_LENGTH,
  TriggerKeyNamespaces,
  triggerWorkflowId,
  type TriggerKeyNamespace,
} from './trigger-ids.ts';

const namespaces = Object.values(TriggerKeyNamespaces);

describe('triggerWorkflowId', () => {
  it('keeps clean keys readable, each in its namespace', () => {
    expect(triggerWorkflowId('penguins', 'key', 'nightly-2026.01.02')).toBe(
      'penguins-key-nightly-2026.01.02',
    );
    expect(triggerWorkflowId('penguins', 'msg', '1234567890')).toBe('penguins-msg-1234567890');
    expect(triggerWorkflowId('penguins', 'git', '72d3162e-cc78-11e3-81ab-4c9367dc0958')).toBe(
      'penguins-git-72d3162e-cc78-11e3-81ab-4c9367dc0958',
    );
    expect(triggerWorkflowId('penguins', 'sweep-key', 'weekly')).toBe('penguins-sweep-key-weekly');
    expect(triggerWorkflowId('penguins', 'sweep-msg', '7')).toBe('penguins-sweep-msg-7');
  });

  it('gives a run key and a message id spelled alike different ids', () => {
    expect(triggerWorkflowId('penguins', 'key', '42')).not.toBe(triggerWorkflowId('penguins', 'msg', '42'));
  });

  it('rewrites other keys deterministically with 64 bits of SHA-256 of the original', () => {
    const id = triggerWorkflowId('penguins', 'key', 'nightly/2026 01');
    expect(id).toBe(`penguins-key-nightly-2026-01-${hashOf(['penguins', 'key', 'nightly/2026 01'])}`);
    expect(triggerWorkflowId('penguins', 'key', 'nightly/2026 01')).toBe(id);
    expect(triggerWorkflowId('penguins', 'key', 'nightly 2026/01')).not.toBe(id);
  });

  it('bounds the length and keeps long keys apart', () => {
    const long = triggerWorkflowId('penguins', 'key', 'k'.repeat(5000));
    expect(long).toHaveLength(MAX_TRIGGER_ID_LENGTH);
    expect(long).not.toBe(triggerWorkflowId('penguins', 'key', 'k'.repeat(4999)));
  });

  it('hashes a clean key that ends like a hash suffix, so it cannot pose as a rewritten key', () => {
    const rewritten = triggerWorkflowId('penguins', 'key', 'a b');
    const impostor = rewritten.slice('penguins-key-'.length);
    expect(impostor).toMatch(/^a-b-[0-9a-f]{16}$/);
    expect(triggerWorkflowId('penguins', 'key', impostor)).not.toBe(rewritten);
  });

  it('never maps two different inputs to one id (property)', () => {
    // Keys drawn to collide often: a tiny alphabet with the characters that get rewritten, lengths
    // around the limit, and rewritten forms of other keys.
    const key = fc.oneof(
      fc.string({ unit: fc.constantFrom('a', '-', ' ', '/', 'ü', '.', '0', 'f'), maxLength: 12 }),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }),
      fc.string({ unit: fc.constantFrom('k', ' '), minLength: 170, maxLength: 220 }),
    );
    const input = fc.tuple(
      fc.constantFrom('penguins', 'tiny'),
      fc.constantFrom<TriggerKeyNamespace>(...namespaces),
      key,
    );
    fc.assert(
      fc.property(input, input, ([p1, n1, k1], [p2, n2, k2]) => {
        fc.pre(p1 !== p2 || n1 !== n2 || k1 !== k2);
        expect(triggerWorkflowId(p1, n1, k1)).not.toBe(triggerWorkflowId(p2, n2, k2));
      }),
      { numRuns: 20_000 },
    );
    // And a key equal to another input's rewritten id tail is still told apart.
    fc.assert(
      fc.property(input, ([p, n, k]) => {
        const id = triggerWorkflowId(p, n, k);
        const tail = id.slice(`${p}-${n}-`.length);
        if (tail !== k) expect(triggerWorkflowId(p, n, tail)).not.toBe(id);
      }),
      { numRuns: 5_000 },
    );
  });

  it('produces ids Temporal takes: at most 200 characters of [A-Za-z0-9._:@-]', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<TriggerKeyNamespace>(...namespaces),
        fc.string({ unit: 'binary', maxLength: 400 }),
        (n, k) => {
          const id = triggerWorkflowId('penguins', n, k);
          expect(id.length).toBeLessThanOrEqual(MAX_TRIGGER_ID_LENGTH);
          expect(id).toMatch(/^[A-Za-z0-9._:@-]+$/);
        },
      ),
    );
  });
});
