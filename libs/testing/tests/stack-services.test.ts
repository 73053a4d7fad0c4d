// Proves each piece of the local stack is the real thing, driven through the official clients.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { PubSub } from '@google-cloud/pubsub';
import { Storage } from '@google-cloud/storage';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { uniqueName } from '@conveyor/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import * as activities from './fixtures/hello-activities.ts';

const exec = promisify(execFile);
const stack = inject('stack');

describe('Temporal dev server', () => {
  let connection: Connection;
  beforeAll(async () => {
    connection = await Connection.connect({ address: stack.temporal.address });
  });
  afterAll(async () => {
    await connection.close();
  });

  it('executes a workflow through a real worker, and the temporal CLI lists it', async () => {
    const taskQueue = uniqueName('stack-hello');
    // The stack's server, whatever its port (left undefined, the worker would poll localhost:7233).
    const workerConnection = await NativeConnection.connect({ address: stack.temporal.address });
    const worker = await Worker.create({
      connection: workerConnection,
      namespace: stack.temporal.namespace,
      taskQueue,
      workflowsPath: fileURLToPath(new URL('./fixtures/hello-workflow.ts', import.meta.url)),
      activities,
    });
    const client = new Client({ connection, namespace: stack.temporal.namespace });
    const workflowId = uniqueName('hello');
    const result = await worker.runUntil(
      client.workflow.execute('hello', { taskQueue, workflowId, args: ['conveyor'] }),
    );
    expect(result).toMatch(/^hello, conveyor \(node 24\./);
    await workerConnection.close();

    // Visibility is eventually consistent: give the list a few seconds to show the closed run.
    let listed: { execution: { workflowId: string }; status: string }[] = [];
    for (let i = 0; i < 50 && !listed.some((w) => /COMPLETED/.test(w.status)); i++) {
      const { stdout } = await exec(stack.temporal.cliPath, [
        'workflow',
        'list',
        '--address',
        stack.temporal.address,
        '--namespace',
        stack.temporal.namespace,
        '--query',
        `WorkflowId="${workflowId}"`,
        '--output',
        'json',
      ]);
      listed = stdout.trim() ? (JSON.parse(stdout) as typeof listed) : [];
      if (!listed.some((w) => /COMPLETED/.test(w.status))) await new Promise((r) => setTimeout(r, 100));
    }
    expect(listed.map((w) => w.execution.workflowId)).toEqual([workflowId]);
    expect(listed[0]!.status).toMatch(/COMPLETED/);
  });

  it('has the Conveyor search attributes registered', async () => {
    const { stdout } = await exec(stack.temporal.cliPath, [
      'operator',
      'search-attribute',
      'list',
      '--address',
      stack.temporal.address,
      '--namespace',
      stack.temporal.namespace,
    ]);
    for (const name of ['ConveyorPipeline', 'ConveyorTrigger', 'ConveyorCommit'])
      expect(stdout).toContain(name);
  });
});

describe('Pub/Sub emulator', () => {
  it('delivers a published message to a subscriber, which acks it', async () => {
    const pubsub = new PubSub({
      projectId: stack.pubsub.projectId,
      apiEndpoint: stack.pubsub.emulatorHost,
      emulatorMode: true,
    });
    const [topic] = await pubsub.createTopic(uniqueName('topic'));
    const [subscription] = await topic.createSubscription(uniqueName('sub'));
    try {
      const received = new Promise<{ data: string; attrs: Record<string, string> }>((resolve, reject) => {
        subscription.on('message', (message) => {
          message.ack();
          resolve({ data: message.data.toString(), attrs: message.attributes });
        });
        subscription.on('error', reject);
      });
      await topic.publishMessage({
        json: { num_epochs: 3, learning_rate: 0.01 },
        attributes: { runKey: 'k1' },
      });
      const message = await received;
      expect(JSON.parse(message.data)).toEqual({ num_epochs: 3, learning_rate: 0.01 });
      expect(message.attrs).toEqual({ runKey: 'k1' });
    } finally {
      await subscription.close();
      await subscription.delete();
      await topic.delete();
      await pubsub.close();
    }
  });
});

describe('fake GCS', () => {
  it('stores an object written with @google-cloud/storage and reads it back (apiEndpoint)', async () => {
    const storage = new Storage({ apiEndpoint: stack.gcs.endpoint, projectId: stack.pubsub.projectId });
    const [bucket] = await storage.createBucket(uniqueName('bucket'));
    const file = bucket.file('specs/penguins.json');
    await file.save(JSON.stringify({ hello: 'gcs' }), { contentType: 'application/json' });
    const [contents] = await file.download();
    expect(JSON.parse(contents.toString())).toEqual({ hello: 'gcs' });
    const [files] = await bucket.getFiles({ prefix: 'specs/' });
    expect(files.map((f) => f.name)).toEqual(['specs/penguins.json']);
    // ifGenerationMatch: 0 refuses to overwrite: the idempotency key of spec uploads relies on it.
    await expect(file.save('other', { preconditionOpts: { ifGenerationMatch: 0 } })).rejects.toMatchObject({
      code: 412,
    });
  });
});
