import { createHash } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { describe, expect, it, vi } from 'vitest';
import { ErrorTypes, type TrainingRunRequest } from '@conveyor/contracts';
import { compilePipeline } from '@conveyor/pipeline';
import { penguins } from '@conveyor/pipelines';
import { createPipelineCatalog } from './catalog.ts';
import { createSourceActivities, type ValidatedRequest } from './source.ts';
import type { ActivityDeps, ActivitySettings, StoreApi } from './types.ts';

const env = new MockActivityEnvironment();
const specJson = compilePipeline(penguins, { image: 'local/penguins:dev' }).json;

function validate(
  request: Partial<TrainingRunRequest>,
  settings: Partial<ActivitySettings> = {},
  read: StoreApi['read'] = async () => Buffer.from(specJson),
) {
  const store = { writeIfAbsent: vi.fn(async () => true), read: vi.fn(read) };
  const deps = {
    store,
    catalog: createPipelineCatalog(),
    settings: {
      projectId: 'p',
      region: 'r',
      // The local worker's bucket, which holds the penguins default serving root.
      pipelineRoot: 'gs://conveyor-local-conveyor/pipeline-root',
      imageRepository: 'reg/conveyor',
      pollIntervalMs: 500,
      ...settings,
    },
  } as unknown as ActivityDeps;
  const full: TrainingRunRequest = {
    pipeline: 'penguins',
    parameters: {},
    source: { repoUrl: '/repo', branch: 'main' },
    trigger: { kind: 'pubsub', id: 'm1', at: '2026-01-02T03:04:05.000Z' },
    labels: {},
    rebuild: false,
    promote: true,
    ...request,
  };
  const result: Promise<ValidatedRequest> = env.run(createSourceActivities(deps).validateRequest, full);
  return { store, result };
}

async function failure(p: Promise<unknown>): Promise<{ type: string | undefined; message: string }> {
  const e = await p.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!(e instanceof ApplicationFailure)) throw new Error(`expected an ApplicationFailure, got ${String(e)}`);
  expect(e.nonRetryable).toBe(true);
  return { type: e.type ?? undefined, message: e.message };
}

describe('validateRequest: trust boundary', () => {
  it('types the original message and fills operator settings from the worker configuration', async () => {
    const { result } = validate(
      { parameters: { num_epochs: 3, learning_rate: 0.01 } },
      {
        pipelineSettings: {
          penguins: { serving_root: 'gs://conveyor-local-conveyor/prod', threshold: 0.95 },
        },
      },
    );
    expect((await result).parameters).toMatchObject({
      num_epochs: 3,
      learning_rate: 0.01,
      serving_root: 'gs://conveyor-local-conveyor/prod',
      threshold: 0.95,
    });
  });

  it('refuses a run that sets an operator setting, naming it', async () => {
    const { result } = validate({ parameters: { serving_root: 'gs://conveyor-local-conveyor/x' } });
    expect(await failure(result)).toEqual({
      type: ErrorTypes.InvalidParameters,
      message:
        "invalid parameters for 'penguins': serving_root: is an operator setting: a run may not set it (operators set it in the worker configuration)",
    });
  });

  it('refuses out-of-bounds hyperparameters naming the bound', async () => {
    const { result } = validate({ parameters: { num_epochs: 1e9 } });
    expect((await failure(result)).message).toBe(
      "invalid parameters for 'penguins': num_epochs: expected at most 1000 (max), got 1000000000",
    );
  });

  it('holds every URI to the allowed buckets: the pipeline root’s, plus CONVEYOR_ALLOWED_BUCKETS', async () => {
    // On Google Cloud the local default serving root is in someone else's bucket: refused until set.
    const cloud = { pipelineRoot: 'gs://my-project-conveyor/root' };
    expect((await failure(validate({}, cloud).result)).message).toBe(
      "invalid parameters for 'penguins': serving_root: gs://conveyor-local-conveyor/serving (the pipeline default) is outside the allowed locations (gs://my-project-conveyor/)",
    );
    const configured = validate(
      {},
      {
        ...cloud,
        allowedBuckets: ['my-models'],
        pipelineSettings: { penguins: { serving_root: 'gs://my-models/serving' } },
      },
    );
    expect((await configured.result).parameters['serving_root']).toBe('gs://my-models/serving');
  });

  it('refuses a precompiled spec outside the allowed buckets without reading it', async () => {
    const { result, store } = validate({ spec: 'gs://attacker/spec.json' });
    expect(await failure(result)).toEqual({
      type: ErrorTypes.InvalidRequest,
      message:
        'spec: gs://attacker/spec.json is outside the allowed locations (gs://conveyor-local-conveyor/)',
    });
    expect(store.read).not.toHaveBeenCalled();
    const dots = await failure(validate({ spec: 'gs://conveyor-local-conveyor/a/../b.json' }).result);
    expect(dots.message).toMatch(/^spec: a URI may not contain "\.\."/);
  });

  it('records the precompiled spec’s sha256', async () => {
    const uri = 'gs://conveyor-local-conveyor/pipeline-root/specs/x.json';
    const { result } = validate({ spec: uri, parameters: { num_epochs: 2 } });
    const validated = await result;
    expect(validated.spec).toEqual({ uri, sha256: createHash('sha256').update(specJson).digest('hex') });
    expect(validated.parameters['num_epochs']).toBe(2);
  });
});
