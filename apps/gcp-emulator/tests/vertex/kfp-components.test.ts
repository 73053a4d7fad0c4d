// kfp 2.17.3 pipelines of lightweight Python components (python:3.11) and of container components on
// well-known images, submitted through the official PipelineServiceClient. The first python:3.11 task
// on a machine creates the venv in the per-machine cache and pip-installs kfp into it from PyPI.
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { uniqueName } from '@conveyor/testing';
import { localLog, readGcs, startVertex, task, type VertexHarness } from './harness.ts';
import { kfpSpec, output, states, withoutCaching, runToEnd } from './kfp.ts';

describe('Vertex emulator: kfp lightweight and container components', () => {
  let h: VertexHarness;
  beforeAll(async () => {
    h = await startVertex();
  });
  afterAll(async () => {
    await h?.close();
  });

  // A clean machine installs kfp into a new venv first (tens of seconds on a slow link).
  it(
    'runs lightweight components on python:3.11: parameters of every kind, Dataset, Model, Metrics',
    { timeout: 600_000 },
    async () => {
      const spec = withoutCaching(await kfpSpec('lightweight'));
      const job = await runToEnd(h, 'kfp-light', spec, {
        parameterValues: { n: 3, rate: 0.25 },
      });
      expect(job.state, job.error?.message ?? '').toBe('PIPELINE_STATE_SUCCEEDED');
      expect(states(job)).toEqual({
        'kfp-lightweight': 'SUCCEEDED',
        'make-rows': 'SUCCEEDED',
        train: 'SUCCEEDED',
        report: 'SUCCEEDED',
      });
      expect(output(task(job, 'make-rows'))).toBe(3);
      const train = task(job, 'train');
      expect(output(train, 'accuracy')).toBe(0.75);
      expect(output(train, 'tags')).toEqual(['small', 'penguin']);
      expect(output(train, 'summary')).toEqual({ rows: 3 });
      expect(output(train, 'ok')).toBe(true);
      expect(output(task(job, 'report'))).toBe('weights for 3 rows at rate 0.25|0.75|small+penguin|3|True');

      const rows = task(job, 'make-rows').outputs?.['rows']?.artifacts?.[0];
      expect(rows?.schemaTitle).toBe('system.Dataset');
      expect(rows?.metadata?.fields?.['rows']?.numberValue).toBe(3);
      expect(await readGcs(h.gcsEndpoint, rows!.uri!)).toBe('penguin,0\npenguin,1\npenguin,2\n');
      const model = train.outputs?.['model']?.artifacts?.[0];
      expect(model?.metadata?.fields?.['framework']?.stringValue).toBe('none');
      expect(await readGcs(h.gcsEndpoint, model!.uri!)).toBe('weights for 3 rows at rate 0.25');
      const metrics = train.outputs?.['metrics']?.artifacts?.[0];
      expect(metrics?.schemaTitle).toBe('system.Metrics');
      expect(metrics?.metadata?.fields?.['accuracy']?.numberValue).toBe(0.75);

      // The component's `pip install kfp==2.17.3` landed in the venv cached for python:3.11, not the host's Python.
      const log = await localLog(h, job, 'train');
      const venv = /in the virtualenv (\S+)/.exec(log)?.[1];
      expect(venv).toContain(join(inject('stack').cacheDir, 'python-venvs'));
      await stat(join(venv!, 'lib', 'python3.11', 'site-packages', 'kfp'));
    },
  );

  it('runs container components on alpine, busybox, bash, ubuntu, python:3.11-slim and google/cloud-sdk', async () => {
    const dest = `gs://vertex-emu-test/${uniqueName('copy')}.txt`;
    const spec = withoutCaching(await kfpSpec('containers'));
    const job = await runToEnd(h, 'kfp-containers', spec, {
      parameterValues: { text: 'hey', x: 5, dest },
    });
    expect(job.state, job.error?.message ?? '').toBe('PIPELINE_STATE_SUCCEEDED');
    expect(output(task(job, 'busybox-count'), 'lines')).toBe(2);
    expect(output(task(job, 'bash-upper'), 'out')).toBe('HEY');
    expect(output(task(job, 'ubuntu-env'), 'out')).toBe('hi from ubuntu');
    expect(output(task(job, 'python-plain'), 'out')).toBe(15);
    // gsutil in a cloud-sdk image is the stand-in: the object really is in (fake) GCS.
    expect(await readGcs(h.gcsEndpoint, dest)).toBe('hey\nhey\n');
  });

  it('fails a task whose image is neither well known nor in the local image store, naming the supported kinds', async () => {
    const spec = withoutCaching(await kfpSpec('containers'));
    const executors = (
      spec['deploymentSpec'] as { executors: Record<string, { container: { image: string } }> }
    ).executors;
    executors['exec-bash-upper']!.container.image = 'registry.example.com/team/unknown:1';
    const job = await runToEnd(h, 'kfp-unknown', spec);
    expect(job.state).toBe('PIPELINE_STATE_FAILED');
    const message = task(job, 'bash-upper').error?.message ?? '';
    expect(message).toContain('image "registry.example.com/team/unknown:1" is not in the local image store');
    expect(message).toContain('python:*');
    expect(message).toContain('alpine, busybox');
  });
});
