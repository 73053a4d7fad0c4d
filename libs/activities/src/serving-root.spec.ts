import { MockActivityEnvironment } from '@temporalio/testing';
import { describe, expect, it } from 'vitest';
import type { TrainingRunRequest } from '@conveyor/contracts';
import { createPipelineCatalog } from './catalog.ts';
import { createSourceActivities, type ValidatedRequest } from './source.ts';
import type { ActivityDeps } from './types.ts';

const env = new MockActivityEnvironment();

/** validateRequest over the real catalog (penguins declares `serving_root`), with a serving root or not. */
function validate(parameters: Record<string, unknown>, servingRoot?: string): Promise<ValidatedRequest> {
  const deps = {
    catalog: createPipelineCatalog(),
    settings: {
      projectId: 'p',
      region: 'r',
      pipelineRoot: 'gs://b/root',
      imageRepository: 'i',
      pollIntervalMs: 1,
      servingRoot,
    },
  } as unknown as ActivityDeps;
  const request: TrainingRunRequest = {
    pipeline: 'penguins',
    parameters: parameters as TrainingRunRequest['parameters'],
    source: { repoUrl: '/r', branch: 'main' },
    trigger: { kind: 'pubsub', id: 'm1', at: '2026-01-01T00:00:00Z' },
    labels: {},
    rebuild: false,
    promote: true,
  };
  return env.run(createSourceActivities(deps).validateRequest, request) as Promise<ValidatedRequest>;
}

describe("the operator's serving root (CONVEYOR_SERVING_ROOT)", () => {
  it("fills serving_root when the trigger gives none: the original system's bare message pushes to the deployment's bucket", async () => {
    const { parameters } = await validate({ num_epochs: 3, learning_rate: 0.01 }, 'gs://prod-bucket/serving');
    expect(parameters).toMatchObject({
      num_epochs: 3,
      learning_rate: 0.01,
      serving_root: 'gs://prod-bucket/serving',
    });
  });

  it("leaves a trigger's own serving_root, and the pipeline default when no serving root is configured", async () => {
    const given = await validate({ serving_root: 'gs://elsewhere/models' }, 'gs://prod-bucket/serving');
    expect(given.parameters['serving_root']).toBe('gs://elsewhere/models');
    const unset = await validate({});
    expect(unset.parameters['serving_root']).toBe('gs://conveyor-local-conveyor/serving');
  });
});
