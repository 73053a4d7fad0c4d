// What CreatePipelineJob accepts and rejects (ids, schema 2.0.0 / 2.1.0 parameters), and what a
// restart keeps, through the official Vertex client.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueName } from '@conveyor/testing';
import { diamondSpec, legacySpec, linearSpec } from './specs.ts';
import {
  PARENT,
  startVertex,
  toStruct,
  submit,
  task,
  waitFor,
  waitForFile,
  type VertexHarness,
} from './harness.ts';

const INVALID_ARGUMENT = 3;
const ALREADY_EXISTS = 6;

describe('Vertex emulator: submission', () => {
  let h: VertexHarness;
  beforeAll(async () => {
    h = await startVertex();
  });
  afterAll(async () => {
    await h?.close();
  });

  it.each([
    [{ rows: 'abc', scale: 1 }, /"rows" must be of type NUMBER_INTEGER, got the string "abc"/],
    [{ rows: 3.5, scale: 1 }, /"rows" must be of type NUMBER_INTEGER, got the number 3.5/],
    [{ rows: 3, scale: 'fast' }, /"scale" must be of type NUMBER_DOUBLE/],
    [{ rows: 3, scale: 1, note: true }, /"note" must be of type STRING/],
    [{ rows: 3 }, /"scale" is required/],
    [{ rows: 3, scale: 1, epochs: 4 }, /"epochs" is not declared/],
  ])('rejects parameter values %j naming the parameter', async (values, message) => {
    const id = uniqueName('badparam');
    const err = await submit(h, id, diamondSpec(), { parameterValues: values }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: INVALID_ARGUMENT });
    expect(String((err as Error).message)).toMatch(message);
    // Nothing was created.
    await expect(h.client.getPipelineJob({ name: `${PARENT}/pipelineJobs/${id}` })).rejects.toMatchObject({
      code: 5,
    });
  });

  it.each(['Upper-case', '9starts-with-digit', 'under_score', `a${'b'.repeat(128)}`])(
    'rejects pipelineJobId %s',
    async (id) => {
      await expect(submit(h, id, diamondSpec(), { parameterValues: { scale: 1 } })).rejects.toMatchObject({
        code: INVALID_ARGUMENT,
        message: expect.stringContaining('pipelineJobId'),
      });
    },
  );

  it('answers ALREADY_EXISTS for a reused id, and generates an id when none is given', async () => {
    const id = uniqueName('reuse');
    await submit(h, id, diamondSpec(), { parameterValues: { scale: 1 } });
    await expect(submit(h, id, diamondSpec(), { parameterValues: { scale: 1 } })).rejects.toMatchObject({
      code: ALREADY_EXISTS,
    });
    const [generated] = await h.client.createPipelineJob({
      parent: PARENT,
      pipelineJob: {
        pipelineSpec: toStruct(diamondSpec()),
        runtimeConfig: {
          gcsOutputDirectory: 'gs://vertex-emu-test/generated',
          parameterValues: { scale: { numberValue: 1 } },
        },
      },
    });
    expect(generated.name).toMatch(/\/pipelineJobs\/[1-9]\d{18}$/);
    await waitFor(h, generated.name!);
  });

  it('rejects labels Google Cloud would reject, naming them', async () => {
    await expect(
      submit(h, uniqueName('label'), diamondSpec(), { parameterValues: { scale: 1 } }, { Trigger: 'pubsub' }),
    ).rejects.toMatchObject({
      code: INVALID_ARGUMENT,
      message: expect.stringContaining('Invalid label key "Trigger"'),
    });
  });

  it('deletes a finished job; refuses to delete a running one', async () => {
    const created = await submit(h, uniqueName('del'), diamondSpec(), { parameterValues: { scale: 1 } });
    await expect(h.client.deletePipelineJob({ name: created.name })).rejects.toMatchObject({ code: 9 });
    await waitFor(h, created.name!);
    await h.client.deletePipelineJob({ name: created.name });
    await expect(h.client.getPipelineJob({ name: created.name })).rejects.toMatchObject({ code: 5 });
  });

  it('rejects a spec sent as a plain object (it arrives empty) and an unsupported schema', async () => {
    await expect(
      h.client.createPipelineJob({
        parent: PARENT,
        pipelineJobId: uniqueName('plain'),
        pipelineJob: {
          pipelineSpec: diamondSpec() as never,
          runtimeConfig: { gcsOutputDirectory: 'gs://b/r' },
        },
      }),
    ).rejects.toMatchObject({ code: INVALID_ARGUMENT, message: expect.stringContaining('pipelineSpec') });
    await expect(
      submit(h, uniqueName('schema'), { ...diamondSpec(), schemaVersion: '3.0.0' }),
    ).rejects.toMatchObject({
      code: INVALID_ARGUMENT,
      message: expect.stringContaining('schemaVersion'),
    });
  });

  it('runs a schema 2.0.0 spec with runtimeConfig.parameters and typed placeholders', async () => {
    const created = await submit(h, uniqueName('legacy'), legacySpec(), {
      parameters: { epochs: { intValue: '3' }, lr: { doubleValue: 2 }, name: { stringValue: 'penguins' } },
    });
    const job = await waitFor(h, created.name!);
    expect(job.state, job.error?.message ?? '').toBe('PIPELINE_STATE_SUCCEEDED');
    const argv = JSON.parse(
      String(task(job, 'echo').execution?.metadata?.fields?.['output:args']?.stringValue),
    ) as string[];
    const flag = (name: string): string | undefined => argv[argv.indexOf(name) + 1];
    expect(flag('--epochs')).toBe('3');
    expect(flag('--lr')).toBe('2');
    expect(flag('--name')).toBe('penguins');
    expect(flag('--fixed')).toBe('42');
    const input = JSON.parse(flag('--input') ?? '{}') as { inputs: { parameters: Record<string, unknown> } };
    expect(input.inputs.parameters['epochs']).toEqual({ intValue: '3' });
    // Typed by declaration, not by value: a whole-number DOUBLE stays a doubleValue.
    expect(input.inputs.parameters['lr']).toEqual({ doubleValue: 2 });
  });

  it('injected faults reach the client with their code', async () => {
    h.emulator.context.faults.set({
      'PipelineService/CreatePipelineJob': { code: 'RESOURCE_EXHAUSTED', message: 'quota' },
    });
    try {
      await expect(
        submit(h, uniqueName('fault'), diamondSpec(), { parameterValues: { scale: 1 } }),
      ).rejects.toMatchObject({
        code: 8,
        message: expect.stringContaining('quota'),
      });
    } finally {
      h.emulator.context.faults.set({});
    }
  });

  it('rejects a 2.0.0 value of the wrong member, and parameterValues for a 2.0.0 spec', async () => {
    await expect(
      submit(h, uniqueName('legacybad'), legacySpec(), {
        parameters: { epochs: { stringValue: '3' }, lr: { doubleValue: 0.01 }, name: { stringValue: 'x' } },
      }),
    ).rejects.toMatchObject({
      code: INVALID_ARGUMENT,
      message: expect.stringContaining('"epochs" must be of type NUMBER_INTEGER'),
    });
    await expect(
      submit(h, uniqueName('legacypv'), legacySpec(), { parameterValues: { epochs: 3 } }),
    ).rejects.toMatchObject({
      code: INVALID_ARGUMENT,
    });
  });
});

describe('Vertex emulator: restart', () => {
  it('keeps finished jobs; a job running when the emulator died is FAILED after restart', async () => {
    const first = await startVertex();
    const scratch = await mkdtemp(join(tmpdir(), 'vertex-restart-'));
    let second: VertexHarness | undefined;
    try {
      const done = await waitFor(
        first,
        (await submit(first, uniqueName('kept'), diamondSpec(), { parameterValues: { scale: 1 } })).name!,
      );
      expect(done.state).toBe('PIPELINE_STATE_SUCCEEDED');
      const pidFile = join(scratch, 'pid');
      const running = await submit(
        first,
        uniqueName('cut'),
        linearSpec([{ name: 'long', args: ['sleep', '--pid-file', pidFile, '--ms', '30000'] }]),
      );
      await waitFor(first, running.name!, (j) => j.state === 'PIPELINE_STATE_RUNNING');
      await waitForFile(pidFile);
      // The state snapshot is written at most 200 ms after a change.
      await new Promise((r) => setTimeout(r, 500));
      // A second emulator on the same data directory plays "the emulator after a crash".
      second = await startVertex(first.dataDir);
      const [kept] = await second.client.getPipelineJob({ name: done.name });
      expect(kept.state).toBe('PIPELINE_STATE_SUCCEEDED');
      expect(
        task(kept, 'consume').outputs?.['metrics']?.artifacts?.[0]?.metadata?.fields?.['accuracy']
          ?.numberValue,
      ).toBe(0.93);
      const [cut] = await second.client.getPipelineJob({ name: running.name });
      expect(cut.state).toBe('PIPELINE_STATE_FAILED');
      expect(cut.error?.message).toContain('emulator restarted');
    } finally {
      await second?.close();
      await first.close();
    }
  });
});
