import { describe, expect, it } from 'vitest';
import { workflowIdFor } from './workflow-id.ts';

describe('workflowIdFor', () => {
  it('keeps clean keys as they are', () => {
    expect(workflowIdFor('penguins', '1234567890')).toBe('penguins-1234567890');
    expect(workflowIdFor('penguins', 'daily-2026.01.02')).toBe('penguins-daily-2026.01.02');
  });
  it('rewrites deterministically and keeps rewritten keys distinct', () => {
    const a = workflowIdFor('penguins', 'a b');
    expect(a).toBe(workflowIdFor('penguins', 'a b'));
    expect(a).not.toBe(workflowIdFor('penguins', 'a/b'));
    expect(a).toMatch(/^penguins-a-b-[0-9a-f]{8}$/);
  });
  it('bounds the length', () => {
    const id = workflowIdFor('penguins', 'k'.repeat(5000));
    expect(id.length).toBeLessThanOrEqual(200);
    expect(id).not.toBe(workflowIdFor('penguins', 'k'.repeat(4999)));
  });
});
