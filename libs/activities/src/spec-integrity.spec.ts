import { createHash } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { describe, expect, it, vi } from 'vitest';
import { ErrorTypes } from '@conveyor/contracts';
import { createJobActivities } from './job.ts';
import type { ActivityDeps } from './types.ts';

describe('submitPipelineJob: the spec the run recorded is the spec it submits', () => {
  it('refuses a spec whose bytes changed after validation, creating no job', async () => {
    const createPipelineJob = vi.fn();
    const deps = {
      pipelines: { jobName: (id: string) => `jobs/${id}`, createPipelineJob },
      store: { read: async () => Buffer.from('{"pipelineInfo":{"name":"swapped"}}') },
      catalog: { toJob: () => ({ pipelineSpec: {}, runtimeConfig: {} }) },
      settings: { pipelineRoot: 'gs://b/root' },
    } as unknown as ActivityDeps;
    const recorded = createHash('sha256').update('{"pipelineInfo":{"name":"validated"}}').digest('hex');
    const error = await new MockActivityEnvironment()
      .run(createJobActivities(deps).submitPipelineJob, {
        pipelineJobId: 'run-1',
        displayName: 'x',
        specUri: 'gs://b/specs/s.json',
        specSha256: recorded,
        parameters: {},
        labels: {},
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApplicationFailure);
    expect((error as ApplicationFailure).type).toBe(ErrorTypes.InvalidRequest);
    expect((error as ApplicationFailure).message).toMatch(
      /^spec gs:\/\/b\/specs\/s\.json changed since it was validated: sha256 [0-9a-f]{64}, recorded [0-9a-f]{64}$/,
    );
    expect(createPipelineJob).not.toHaveBeenCalled();
  });
});
