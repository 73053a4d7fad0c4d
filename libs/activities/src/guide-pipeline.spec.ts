// docs/bring-your-own-pipeline.md must stay true: its `churn` definition is taken from the guide as
// written, registered in a catalog the way the guide's registry entry does, compiled, and its
// parameters (the guide's conveyor.yaml included) typed by the function the worker uses.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { defaultConventions, type ModelConvention, type Pipeline } from '@conveyor/pipeline';
import { createPipelineCatalog } from './catalog.ts';
import type { PipelineCatalog } from './types.ts';
import { repoPath } from '@conveyor/platform/repo-root';

const guidePath = repoPath('docs', 'bring-your-own-pipeline.md');

/** The fenced block of `lang` whose first line is `firstLine`. */
function block(markdown: string, lang: string, firstLine: string): string {
  const start = markdown.indexOf(`\`\`\`${lang}\n${firstLine}\n`);
  if (start < 0) throw new Error(`the guide has no ${lang} block starting with '${firstLine}'`);
  const body = start + lang.length + 4;
  return markdown.slice(body, markdown.indexOf('\n```', body));
}

let guide: string;
let dir: string;
let churn: Pipeline;
let churnModel: ModelConvention;
let catalog: PipelineCatalog;

beforeAll(async () => {
  guide = await readFile(guidePath, 'utf8');
  // Inside the repository, so the block's `@conveyor/pipeline` import resolves as in libs/pipelines.
  dir = await mkdtemp(join(import.meta.dirname, '..', '.guide-example-'));
  const file = join(dir, 'churn.ts');
  await writeFile(file, block(guide, 'ts', '// libs/pipelines/src/churn.ts'));
  ({ churn, churnModel } = (await import(file)) as { churn: Pipeline; churnModel: ModelConvention });
  // The registry entry as the guide writes it.
  expect(block(guide, 'ts', '// libs/pipelines/src/registry.ts')).toContain(
    '{ pipeline: churn, conventions: { ...defaultConventions(churn.name), model: churnModel } }',
  );
  catalog = createPipelineCatalog([
    { pipeline: churn, conventions: { ...defaultConventions(churn.name), model: churnModel } },
  ]);
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("the guide's TypeScript pipeline (docs/bring-your-own-pipeline.md)", () => {
  it('registers with the files where the guide says they are', () => {
    expect(catalog.has('churn')).toBe(true);
    expect(catalog.conventions('churn')).toMatchObject({
      buildConfig: 'apps/churn/cloudbuild.yaml',
      parametersFile: 'apps/churn/conveyor.yaml',
      model: { artifact: { task: 'train', output: 'model' }, pushParameter: 'push' },
    });
  });

  it('compiles: train, and push inside the if-push condition, in the image given', () => {
    const { json } = catalog.compile('churn', 'local/churn:dev');
    const spec = JSON.parse(json) as {
      pipelineInfo: { name: string };
      root: { dag: { tasks: Record<string, unknown> } };
      deploymentSpec: { executors: Record<string, { container: { image: string } }> };
    };
    expect(spec.pipelineInfo.name).toBe('churn');
    expect(Object.keys(spec.root.dag.tasks).sort()).toEqual(['condition-1', 'train']);
    expect(Object.values(spec.deploymentSpec.executors).map((e) => e.container.image)).toEqual([
      'local/churn:dev',
      'local/churn:dev',
    ]);
  });

  it("types the guide's conveyor.yaml and refuses what the guide says is refused", () => {
    const file = parseYaml(block(guide, 'yaml', '# apps/churn/conveyor.yaml')) as {
      parameters: Record<string, unknown>;
    };
    const settings = { serving_root: 'gs://acme-models/serving' };
    const options = { settings, allowedUriPrefixes: ['gs://acme-models/'] };
    expect(catalog.typeParameters('churn', file.parameters, options)).toEqual({
      epochs: 40,
      learning_rate: 0.005,
      push: true,
      serving_root: 'gs://acme-models/serving',
    });
    for (const [bad, named] of [
      [{ epochs: 0 }, /epochs: expected at least 1 \(min\)/],
      [{ epochs: 2.5 }, /epochs: /],
      [{ learning_rate: 0 }, /learning_rate: expected more than 0 \(exclusiveMin\)/],
      [{ serving_root: 'gs://acme-models/elsewhere' }, /serving_root: .*operator setting/],
    ] as const) {
      expect(() => catalog.typeParameters('churn', bad, options)).toThrow(named);
    }
  });
});
