// `@conveyor/pipeline/spec` is imported by workflow code, which the Temporal bundler rejects when it
// reaches a Node built-in. Walk its import graph and allow only relative files and zod.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+'([^']+)'/gm)].map((m) => m[1] ?? '');
}

describe('@conveyor/pipeline/spec', () => {
  it('reaches only its own files and zod (no Node built-ins), so workflow code may import it', () => {
    const seen = new Set<string>();
    const external = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const spec of importsOf(file)) {
        if (spec.startsWith('.')) visit(join(dirname(file), spec));
        else external.add(spec);
      }
    };
    visit(join(here, 'spec.ts'));
    expect([...external].sort()).toEqual(['zod']);
    expect(seen.size).toBeGreaterThan(4);
  });
});
