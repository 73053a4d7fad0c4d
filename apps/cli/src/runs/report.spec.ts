import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { TrainingRunResult } from '@conveyor/contracts';
import type { ObjectStore } from '@conveyor/gcp';
import { locateReport, localReportDir } from './report.ts';

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

const report = {
  htmlUri: 'gs://b/root/runs/penguins-abc/report.html',
  markdownUri: 'gs://b/root/runs/penguins-abc/report.md',
};
const noStore = (): Promise<ObjectStore> => {
  throw new Error('no store on Google Cloud');
};
const dataDir = mkdtempSync(join(tmpdir(), 'conveyor-report-spec-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('locateReport', () => {
  it('a run without a report has none to locate', async () => {
    expect(await locateReport(result(), { local: false, store: noStore, dataDir })).toBeUndefined();
  });

  it('on Google Cloud: the gs:// URIs and the browser link of the object, nothing downloaded', async () => {
    expect(await locateReport(result(report), { local: false, store: noStore, dataDir })).toEqual({
      ...report,
      browserUrl: 'https://storage.cloud.google.com/b/root/runs/penguins-abc/report.html',
    });
  });

  it('locally: a copy under <dataDir>/reports/<run id>/', async () => {
    const store = { read: async () => Buffer.from('<html>r</html>') } as unknown as ObjectStore;
    const place = await locateReport(result(report), { local: true, store: async () => store, dataDir });
    expect(place?.path).toBe(join(dataDir, 'reports', 'penguins-abc', 'report.html'));
    expect(readFileSync(place?.path ?? '', 'utf8')).toBe('<html>r</html>');
  });

  it('a run id never steers the path out of the reports folder', () => {
    expect(localReportDir('/d', '../../etc/x')).toBe('/d/reports/__.._etc_x');
    expect(localReportDir('/d', 'a/b')).toBe('/d/reports/a_b');
  });
});
