import { describe, expect, it } from 'vitest';
import type { TrainingRunResult } from '@conveyor/contracts';
import { GcpError, type PipelineJobInfo } from '@conveyor/gcp';
import { defaultConventions } from '@conveyor/pipeline';
import { penguins } from '@conveyor/pipelines';
import { createPipelineCatalog } from './catalog.ts';
import { createReportActivities } from './report.ts';
import type { ActivityDeps, PipelineApi, StoreApi } from './types.ts';

const JOB = 'projects/p/locations/us-central1/pipelineJobs/penguins-abc';

function result(): TrainingRunResult {
  return {
    runId: 'penguins-abc',
    pipeline: 'penguins',
    trigger: { kind: 'pubsub', id: 'm-1', at: '2026-11-26T14:00:00Z' },
    parameters: { num_epochs: 3, learning_rate: 0.01 },
    commit: 'abc1234',
    spec: { uri: 'gs://b/root/specs/x.json', sha256: 'x'.repeat(64) },
    pipelineJob: JOB,
    state: 'PIPELINE_STATE_SUCCEEDED',
    tasks: [{ name: 'trainer', state: 'SUCCEEDED' }],
    metrics: { accuracy: 0.97 },
    modelUri: 'gs://b/serving/penguins/penguins-abc',
    timings: { building: 1000, running: 2000 },
    estimatedCost: { usd: 0.03, basis: 'fee' },
  };
}

function fakes(
  modelMetadata: Record<string, unknown>,
  files: Record<string, string> = {},
  catalog = createPipelineCatalog(),
) {
  const objects = new Map<string, string>(Object.entries(files));
  const store: StoreApi = {
    async writeIfAbsent(uri, contents) {
      if (objects.has(uri)) return false;
      objects.set(uri, contents.toString());
      return true;
    },
    async read(uri) {
      const v = objects.get(uri);
      if (v === undefined) throw new GcpError('Storage.download', 'not-found', '404', `no ${uri}`, undefined);
      return Buffer.from(v);
    },
    async write(uri, contents) {
      objects.set(uri, contents.toString());
    },
    async list(prefix) {
      return [...objects.keys()].filter((k) => k.startsWith(`${prefix.replace(/\/$/, '')}/`));
    },
    async copy(from, to) {
      const v = objects.get(from);
      if (v !== undefined) objects.set(to, v);
    },
  };
  const job: PipelineJobInfo = {
    name: JOB,
    state: 'PIPELINE_STATE_SUCCEEDED',
    tasks: [
      {
        name: 'trainer',
        state: 'SUCCEEDED',
        outputs: {
          model: [
            {
              uri: 'gs://b/root/runs/penguins-abc/trainer/model',
              schemaTitle: 'system.Model',
              metadata: modelMetadata,
            },
          ],
        },
        executionMetadata: {},
        root: false,
      },
    ],
  };
  const pipelines = { getPipelineJob: async () => job } as unknown as PipelineApi;
  const settings = { pipelineRoot: 'gs://b/root/' } as ActivityDeps['settings'];
  return { objects, deps: { store, pipelines, settings, catalog } };
}

describe('writeReport', () => {
  it('writes report.html and report.md next to the run artifacts, plotting the model metadata history', async () => {
    const { objects, deps } = fakes({ loss: [1, 0.6, 0.4], accuracy: [0.5, 0.8, 0.9] });
    const { writeReport } = createReportActivities(deps, { webUiUrl: (id) => `http://ui/workflows/${id}` });
    const location = await writeReport(result());
    expect(location).toEqual({
      htmlUri: 'gs://b/root/runs/penguins-abc/report.html',
      markdownUri: 'gs://b/root/runs/penguins-abc/report.md',
      epochs: 3,
    });
    const html = objects.get(location.htmlUri) ?? '';
    expect(html).toMatch(/<polyline[^>]*data-series="loss"[^>]*points="[^"]+ [^"]+ [^"]+"/);
    expect(html).toContain('http://ui/workflows/penguins-abc');
    expect(objects.get(location.markdownUri)).toContain('| 3 | 0.4 | 0.9 |');
  });

  it('falls back to history.json in the model directory, and to no history at all', async () => {
    const history = JSON.stringify([
      { epoch: 1, loss: 0.9, accuracy: 0.6 },
      { epoch: 2, loss: 0.5, accuracy: 0.8 },
    ]);
    const withFile = fakes({}, { 'gs://b/root/runs/penguins-abc/trainer/model/history.json': history });
    expect((await createReportActivities(withFile.deps).writeReport(result())).epochs).toBe(2);
    const without = fakes({});
    const location = await createReportActivities(without.deps).writeReport(result());
    expect(location.epochs).toBe(0);
    expect(without.objects.get(location.htmlUri)).toContain('recorded no per-epoch history');
  });

  it('reads the curves only where the pipeline declares them; a precompiled spec falls back to its Model artifacts', async () => {
    const keras = { loss: [1, 0.6], accuracy: [0.5, 0.8] };
    // Registered without a curves declaration: Keras-named metadata is not guessed at.
    const undeclared = createPipelineCatalog([
      { pipeline: penguins, conventions: defaultConventions('penguins') },
    ]);
    const silent = fakes(keras, {}, undeclared);
    expect((await createReportActivities(silent.deps).writeReport(result())).epochs).toBe(0);
    // Declared under other names: those names are read.
    const custom = createPipelineCatalog([
      {
        pipeline: penguins,
        conventions: {
          ...defaultConventions('penguins'),
          curves: { artifact: { task: 'trainer', output: 'model' }, keys: { loss: ['l'], accuracy: ['a'] } },
        },
      },
    ]);
    const named = fakes({ l: [1, 0.5, 0.2], a: [0.4, 0.6, 0.9] }, {}, custom);
    expect((await createReportActivities(named.deps).writeReport(result())).epochs).toBe(3);
    // Not in the catalog (a precompiled spec): Keras names on any Model artifact, as before.
    const precompiled = fakes(keras, {}, createPipelineCatalog([]));
    expect((await createReportActivities(precompiled.deps).writeReport(result())).epochs).toBe(2);
  });
});
