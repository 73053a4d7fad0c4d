// A spec compiled by the real `kfp` 2.17.3 SDK (tests/fixtures/kfp/node_tasks.py → node-tasks.json) runs
// through the emulator: Concat/IfPresent placeholders, {{$}}, pipeline_task_name, artifacts, metrics.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueName } from '@conveyor/testing';
import { readGcs, startVertex, submit, task, waitFor, type VertexHarness } from './harness.ts';

const specPath = new URL('../fixtures/kfp/node-tasks.json', import.meta.url);

describe('Vertex emulator: a kfp-compiled spec', () => {
  let h: VertexHarness;
  beforeAll(async () => {
    h = await startVertex();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('runs make-data → (count-lines ‖ report) with the parameters given and the defaults declared', async () => {
    const spec = JSON.parse(await readFile(specPath, 'utf8')) as { sdkVersion: string };
    expect(spec.sdkVersion).toBe('kfp-2.17.3');
    const created = await submit(h, uniqueName('kfp'), spec, { parameterValues: { rows: 6 } });
    const job = await waitFor(h, created.name!);
    expect(job.state, job.error?.message ?? '').toBe('PIPELINE_STATE_SUCCEEDED');

    const summary = task(job, 'count-lines').execution?.metadata?.fields?.['output:summary']?.stringValue;
    expect(summary).toBe('count-lines counted 6');
    const metrics = task(job, 'report').outputs?.['metrics']?.artifacts?.[0];
    expect(metrics?.schemaTitle).toBe('system.Metrics');
    expect(metrics?.metadata?.fields?.['rows']?.numberValue).toBe(6);
    expect(metrics?.metadata?.fields?.['scaled']?.numberValue).toBe(3);
    expect(JSON.parse(await readGcs(h.gcsEndpoint, metrics!.uri!))).toEqual({ n: 6 });
    const data = task(job, 'make-data').outputs?.['data']?.artifacts?.[0];
    // IfPresent took its Then branch: the default label reached the command line.
    expect((await readGcs(h.gcsEndpoint, data!.uri!)).split('\n')[0]).toBe('penguin,0');
    expect(task(job, 'make-data').execution?.metadata?.fields?.['output:count']?.numberValue).toBe(6);
  });

  it('rejects a value of the wrong type for a kfp-declared parameter', async () => {
    const spec = JSON.parse(await readFile(specPath, 'utf8')) as object;
    await expect(
      submit(h, uniqueName('kfpbad'), spec, { parameterValues: { scale: 'high' } }),
    ).rejects.toMatchObject({
      code: 3,
      message: expect.stringContaining('"scale" must be of type NUMBER_DOUBLE'),
    });
  });
});
