import { describe, expect, it } from 'vitest';
import type { TrainingRunResult } from '@conveyor/contracts';
import { locateReport } from './report.ts';

function result(report?: TrainingRunResult['report']): TrainingRunResult {
  return {
    runId: 'penguins-abc',
    pipeline: 'penguins',
    trigger: { kind: 'manual', id: 'me', at: '2026-11-26T14:00:00Z' },
    spec: { uri: 'gs://b/root/specs/x.json' },
    pipelineJob: 'projects/p/locations/us-central1/pipelineJobs/penguins-abc',
    state: 'PIPELINE_STATE_SUCCEEDED',
    tasks: [],
    metrics: {},
    timings: {},
    estimatedCost: { usd: 0.03, basis: 'fee' },
    ...(report ? { report } : {}),
  };
}

describe('locateReport', () => {
  it('a run without a report has none to locate', async () => {
    expect(await locateReport(result(), { CONVEYOR_LOCAL: 'false' })).toBeUndefined();
  });

  it('on Google Cloud: the gs:// URIs and the browser link of the object, nothing downloaded', async () => {
    const report = {
      htmlUri: 'gs://b/root/runs/penguins-abc/report.html',
      markdownUri: 'gs://b/root/runs/penguins-abc/report.md',
    };
    expect(
      await locateReport(result(report), { CONVEYOR_LOCAL: 'false', GOOGLE_CLOUD_PROJECT: 'p' }),
    ).toEqual({
      ...report,
      browserUrl: 'https://storage.cloud.google.com/b/root/runs/penguins-abc/report.html',
    });
  });

  it('names the variable when the storage endpoint is not a URL', async () => {
    const report = { htmlUri: 'gs://b/r/report.html', markdownUri: 'gs://b/r/report.md' };
    await expect(
      locateReport(result(report), { CONVEYOR_LOCAL: 'false', CONVEYOR_STORAGE_ENDPOINT: 'nope' }),
    ).rejects.toThrow(/CONVEYOR_STORAGE_ENDPOINT/);
  });
});
