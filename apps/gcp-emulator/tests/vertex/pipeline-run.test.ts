// A pipeline with parallel branches and an artifact passed between tasks runs for real through the
// official Vertex client; its artifacts end up in fake GCS.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueName } from '@conveyor/testing';
import { diamondSpec } from './specs.ts';
import { readGcs, startVertex, submit, task, waitFor, type VertexHarness } from './harness.ts';

describe('Vertex emulator: running pipelines', () => {
  let h: VertexHarness;
  beforeAll(async () => {
    h = await startVertex();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('runs a diamond DAG: parallel branches, an artifact from produce to consume, metrics in task outputs', async () => {
    const id = uniqueName('diamond');
    const created = await submit(h, id, diamondSpec(), { parameterValues: { rows: 7, scale: 0.5 } });
    expect(created.state).toBe('PIPELINE_STATE_QUEUED');
    expect(created.name).toBe(`projects/conveyor-test/locations/us-central1/pipelineJobs/${id}`);

    const job = await waitFor(h, created.name!);
    expect(job.state, JSON.stringify(job.error)).toBe('PIPELINE_STATE_SUCCEEDED');
    for (const t of ['produce', 'branch-a', 'branch-b', 'consume'])
      expect(task(job, t).state).toBe('SUCCEEDED');
    expect(job.startTime).toBeTruthy();
    expect(job.endTime).toBeTruthy();

    // The two branches ran at the same time.
    const span = (name: string): { start: number; end: number } => {
      const meta = task(job, name).execution?.metadata?.fields?.['output:span']?.structValue?.fields;
      return { start: Number(meta?.['start']?.numberValue), end: Number(meta?.['end']?.numberValue) };
    };
    const a = span('branch-a');
    const b = span('branch-b');
    expect(a.start).toBeLessThan(b.end);
    expect(b.start).toBeLessThan(a.end);
    // ...and both after produce, before consume.
    const ms = (t: { seconds?: unknown; nanos?: number | null } | null | undefined): number =>
      Number(t?.seconds) * 1000 + Math.floor((t?.nanos ?? 0) / 1e6);
    expect(Math.min(a.start, b.start)).toBeGreaterThanOrEqual(ms(task(job, 'produce').endTime));
    expect(ms(task(job, 'consume').startTime)).toBeGreaterThanOrEqual(Math.max(a.end, b.end));

    // The artifact went from produce to consume; metrics came back through executor output.
    const data = task(job, 'produce').outputs?.['data']?.artifacts?.[0];
    expect(data?.uri).toMatch(new RegExp(`^gs://vertex-emu-test/${id}-root/\\d+/${id}/produce_\\d+/data$`));
    expect(data?.schemaTitle).toBe('system.Dataset');
    expect(task(job, 'consume').inputs?.['data']?.artifacts?.[0]?.uri).toBe(data?.uri);
    const metricsArtifact = task(job, 'consume').outputs?.['metrics']?.artifacts?.[0];
    expect(metricsArtifact?.metadata?.fields?.['accuracy']?.numberValue).toBe(0.93);
    expect(metricsArtifact?.metadata?.fields?.['rows']?.numberValue).toBe(7);
    const consumeMeta = task(job, 'consume').execution?.metadata?.fields;
    expect(consumeMeta?.['output:total']?.numberValue).toBe(3.5);
    expect(consumeMeta?.['output:summary']?.stringValue).toBe('rows=7');
    expect(consumeMeta?.['input:scale']?.numberValue).toBe(0.5);

    // Artifacts and the task log are readable in fake GCS.
    expect((await readGcs(h.gcsEndpoint, data!.uri!)).split('\n')[6]).toBe('row-6');
    expect(JSON.parse(await readGcs(h.gcsEndpoint, metricsArtifact!.uri!))).toEqual({ rows: 7 });
    const log = await readGcs(h.gcsEndpoint, data!.uri!.replace(/\/data$/, '/task.log'));
    expect(log).toContain('produced 7 rows');
    const consumeLog = await readGcs(h.gcsEndpoint, metricsArtifact!.uri!.replace(/\/metrics$/, '/task.log'));
    // Runs in the image snapshot with its ENV, on the emulator's Node.
    expect(consumeLog).toContain(`env image=vertex-fixture node=${process.versions.node}`);
  });

  it('applies defaults and lists jobs by state and label', async () => {
    const id = uniqueName('listed');
    const label = uniqueName('l');
    const created = await submit(h, id, diamondSpec(), { parameterValues: { scale: 2 } }, { suite: label });
    const job = await waitFor(h, created.name!);
    expect(job.state).toBe('PIPELINE_STATE_SUCCEEDED');
    expect(task(job, 'produce').execution?.metadata?.fields?.['input:rows']?.numberValue).toBe(5);

    const [byLabel] = await h.client.listPipelineJobs(
      {
        parent: 'projects/conveyor-test/locations/us-central1',
        filter: `labels.suite="${label}" AND state="PIPELINE_STATE_SUCCEEDED"`,
      },
      { autoPaginate: true },
    );
    expect(byLabel.map((j) => j.name)).toEqual([created.name]);
    const [none] = await h.client.listPipelineJobs({
      parent: 'projects/conveyor-test/locations/us-central1',
      filter: `labels.suite="${label}" AND state="PIPELINE_STATE_FAILED"`,
    });
    expect(none).toEqual([]);
  });
});
