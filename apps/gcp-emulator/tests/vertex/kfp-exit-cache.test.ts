// kfp 2.17.3 exit handlers (PipelineTaskFinalStatus, ignore_upstream_failure), a pipeline expected to
// FAIL, importers, pipeline input artifacts (created through the official MetadataServiceClient) and
// execution caching, through the official clients.
import * as grpc from '@grpc/grpc-js';
import { v1 } from '@google-cloud/aiplatform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueName } from '@conveyor/testing';
import { LOCATION, PROJECT, startVertex, submit, task, type Job, type VertexHarness } from './harness.ts';
import { kfpSpec, metadata, output, states, withoutCaching, runToEnd } from './kfp.ts';

const STORE = `projects/${PROJECT}/locations/${LOCATION}/metadataStores/default`;

describe('Vertex emulator: kfp exit handlers, importers, input artifacts and caching', () => {
  let h: VertexHarness;
  let metadataClient: InstanceType<typeof v1.MetadataServiceClient>;
  beforeAll(async () => {
    h = await startVertex();
    metadataClient = new v1.MetadataServiceClient({
      apiEndpoint: '127.0.0.1',
      port: h.emulator.port,
      sslCreds: grpc.credentials.createInsecure(),
      universeDomain: 'googleapis.com',
    });
  });
  afterAll(async () => {
    await metadataClient?.close();
    await h?.close();
  });

  it(
    'succeeds only when the exit task runs after the body and is handed its final status',
    { timeout: 600_000 },
    async () => {
      const spec = withoutCaching(await kfpSpec('exit-handler'));
      const job = await runToEnd(h, 'kfp-exit', spec);
      expect(job.state, job.error?.message ?? '').toBe('PIPELINE_STATE_SUCCEEDED');
      expect(states(job)).toEqual({
        'kfp-exit-handler': 'SUCCEEDED',
        guarded: 'SUCCEEDED',
        'guarded.work': 'SUCCEEDED',
        'guarded.fail-over': 'SUCCEEDED',
        verdict: 'SUCCEEDED',
      });
      expect(output(task(job, 'verdict'))).toBe('guarded:SUCCEEDED:None:');
      expect(seconds(task(job, 'verdict').startTime)).toBeGreaterThanOrEqual(
        seconds(task(job, 'guarded').endTime),
      );
    },
  );

  it(
    'a failing task fails the job; the exit task still runs and sees FAILED; ignore_upstream_failure runs; its dependant does not',
    { timeout: 600_000 },
    async () => {
      const spec = withoutCaching(await kfpSpec('failing'));
      const job = await runToEnd(h, 'kfp-fail', spec);
      expect(job.state).toBe('PIPELINE_STATE_FAILED');
      expect(job.error?.message).toContain('The failed tasks are: [fail-over]');
      expect(job.error?.message).toContain('x=2 is over the limit 0');
      expect(states(job)).toEqual({
        'kfp-failing': 'FAILED',
        guarded: 'FAILED',
        'guarded.work': 'SUCCEEDED',
        'guarded.fail-over': 'FAILED',
        'guarded.after-failure': 'CANCELLED',
        'guarded.cleanup-anyway': 'SUCCEEDED',
        verdict: 'SUCCEEDED',
      });
      expect(output(task(job, 'verdict'))).toBe(
        'guarded:FAILED:9:The DAG failed because some tasks failed. The failed tasks are: [fail-over].',
      );
      expect(output(task(job, 'cleanup-anyway'))).toBe(6);
    },
  );

  it(
    'under the fail-fast policy the failure stops the rest, but the exit task and ignore_upstream_failure still run',
    { timeout: 600_000 },
    async () => {
      const spec = withoutCaching(await kfpSpec('failing'));
      const job = await runToEnd(h, 'kfp-failfast', spec, {
        failurePolicy: 'PIPELINE_FAILURE_POLICY_FAIL_FAST',
      });
      expect(job.state).toBe('PIPELINE_STATE_FAILED');
      expect(states(job)).toMatchObject({
        'guarded.fail-over': 'FAILED',
        'guarded.after-failure': 'CANCELLED',
        'guarded.cleanup-anyway': 'SUCCEEDED',
        verdict: 'SUCCEEDED',
      });
    },
  );

  it(
    'imports a URI, takes an input artifact by id, and answers a repeated task from the cache (SKIPPED)',
    { timeout: 600_000 },
    async () => {
      const bucket = 'vertex-emu-test';
      const csv = `${uniqueName('imported')}.csv`;
      await h.emulator.context.gcs.writeObject(bucket, csv, 'a\nb\nc\n');
      const given = `${uniqueName('given')}.csv`;
      await h.emulator.context.gcs.writeObject(bucket, given, 'x\ny\n');
      const artifactId = uniqueName('given-data')
        .toLowerCase()
        .replace(/[^a-z0-9-]/g, '-');
      const [created] = await metadataClient.createArtifact({
        parent: STORE,
        artifactId,
        artifact: { uri: `gs://${bucket}/${given}`, schemaTitle: 'system.Dataset', schemaVersion: '0.0.1' },
      });
      expect(created.name).toBe(`${STORE}/artifacts/${artifactId}`);

      const spec = await kfpSpec('importer-cache');
      const salt = uniqueName('salt');
      const submitOnce = (): Promise<Job> =>
        runToEnd(h, 'kfp-import', spec, {
          parameterValues: { uri: `gs://${bucket}/${csv}`, salt },
          inputArtifacts: { given: { artifactId } },
        });
      const first = await submitOnce();
      expect(first.state, first.error?.message ?? '').toBe('PIPELINE_STATE_SUCCEEDED');
      const imported = task(first, 'importer');
      expect(imported.execution?.schemaTitle).toBe('system.ImporterExecution');
      const artifact = imported.outputs?.['artifact']?.artifacts?.[0];
      expect(artifact?.uri).toBe(`gs://${bucket}/${csv}`);
      expect(artifact?.metadata?.fields?.['source']?.stringValue).toBe('fixture');
      expect(output(task(first, 'count-imported'))).toBe(3);
      expect(output(task(first, 'count-given'))).toBe(2);
      // The imported artifact is in the metadata store under the id its name ends with.
      const [fetched] = await metadataClient.getArtifact({ name: artifact!.name! });
      expect(fetched.uri).toBe(`gs://${bucket}/${csv}`);

      const second = await submitOnce();
      expect(second.state, second.error?.message ?? '').toBe('PIPELINE_STATE_SUCCEEDED');
      expect(states(second)).toMatchObject({
        'count-imported': 'SKIPPED',
        'count-given': 'SKIPPED',
        stamp: 'SKIPPED',
        'stamp-uncached': 'SUCCEEDED',
        importer: 'SUCCEEDED',
      });
      const cached = task(second, 'stamp');
      expect(cached.execution?.state).toBe('CACHED');
      expect(output(cached)).toBe(output(task(first, 'stamp')));
      expect(String(metadata(cached, 'cached_execution'))).toContain(String(task(first, 'stamp').taskId));
      expect(output(task(second, 'stamp-uncached'))).not.toBe(output(task(first, 'stamp-uncached')));
    },
  );

  it('refuses an input artifact id the metadata store does not know, and an undeclared input artifact', async () => {
    const spec = await kfpSpec('importer-cache');
    await expect(
      submit(h, uniqueName('kfp-noart'), spec, {
        parameterValues: { uri: 'gs://b/x' },
        inputArtifacts: { given: { artifactId: 'no-such-artifact' } },
      }),
    ).rejects.toMatchObject({ code: 3, message: expect.stringContaining('"no-such-artifact"') });
    await expect(
      submit(h, uniqueName('kfp-noart'), spec, {
        parameterValues: { uri: 'gs://b/x' },
        inputArtifacts: { extra: { artifactId: 'y' } },
      }),
    ).rejects.toMatchObject({ code: 3, message: expect.stringContaining('"extra" is not declared') });
    await expect(
      submit(h, uniqueName('kfp-noart'), spec, { parameterValues: { uri: 'gs://b/x' } }),
    ).rejects.toMatchObject({
      code: 3,
      message: expect.stringContaining('"given" (system.Dataset) is required'),
    });
  });
});

function seconds(t: { seconds?: unknown; nanos?: number | null } | null | undefined): number {
  return Number(t?.seconds ?? 0) + (t?.nanos ?? 0) / 1e9;
}
