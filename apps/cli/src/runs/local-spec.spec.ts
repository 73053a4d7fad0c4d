import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { pipelineNameOf, readLocalSpec } from './local-spec.ts';

const here = dirname(fileURLToPath(import.meta.url));
const kfp = join(here, '..', '..', '..', 'gcp-emulator', 'tests', 'fixtures', 'kfp', 'lightweight.json');
const yamlSpec = join(here, '..', '..', 'tests', 'fixtures', 'sleep.yaml');
const dir = mkdtempSync(join(tmpdir(), 'conveyor-local-spec-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readLocalSpec', () => {
  it('keeps a JSON file’s bytes: its sha256 is the file’s', async () => {
    const spec = await readLocalSpec(kfp);
    expect(spec.json).toBe(readFileSync(kfp, 'utf8'));
    expect(spec.sha256).toBe(createHash('sha256').update(readFileSync(kfp)).digest('hex'));
    expect(spec.read.parameters.map((p) => p.name)).toEqual(['label', 'n', 'rate']);
    expect(pipelineNameOf(spec.read)).toBe('kfp-lightweight');
  });

  it('turns YAML (kfp’s .yaml output) into JSON, the form the worker reads', async () => {
    const spec = await readLocalSpec(yamlSpec);
    expect(JSON.parse(spec.json)).toMatchObject({
      schemaVersion: '2.1.0',
      pipelineInfo: { name: 'cli-sleep' },
    });
    expect(spec.read.parameters).toEqual([
      expect.objectContaining({ name: 'seconds', type: 'NUMBER_INTEGER', default: 60 }),
    ]);
  });

  it('names --spec when the file is missing or no spec', async () => {
    await expect(readLocalSpec(join(dir, 'missing.json'))).rejects.toThrow(/--spec: cannot read/);
    const junk = join(dir, 'junk.yaml');
    writeFileSync(junk, 'a: [unclosed');
    await expect(readLocalSpec(junk)).rejects.toThrow(/--spec: .* is neither JSON nor YAML/);
    const notSpec = join(dir, 'not-spec.json');
    writeFileSync(notSpec, '{"hello": 1}');
    await expect(readLocalSpec(notSpec)).rejects.toThrow(/PipelineSpec|pipeline spec|schemaVersion/i);
  });

  it('makes a request pipeline name of any pipelineInfo.name', () => {
    const named = (name: string) => pipelineNameOf({ name } as Parameters<typeof pipelineNameOf>[0]);
    expect(named('My Pipeline_v2')).toBe('my-pipeline-v2');
    expect(named('2-fast')).toBe('fast');
    expect(named('***')).toBe('pipeline');
  });
});
