import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { DeadLetterRefusedError } from './dead-letter.ts';
import { createMessageHandler } from './handler.ts';
import type { IncomingMessage } from './message.ts';
import { BridgeStats } from './stats.ts';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
const options = {
  defaultPipeline: 'penguins',
  maxMessageBytes: 1024,
  repoUrl: '/repo',
  defaultBranch: 'main',
};

function msg(body: string, id = 'm1', attributes: Record<string, string> = {}): IncomingMessage {
  return { id, data: Buffer.from(body), attributes, publishTime: new Date() };
}

function setup(
  start: (id: string) => Promise<unknown>,
  deadLetter: () => Promise<unknown> = () => Promise.resolve('dl'),
) {
  const stats = new BridgeStats();
  const started: string[] = [];
  const deadLetters: { id: string; reason: string; attributes: Readonly<Record<string, string>> }[] = [];
  const handler = createMessageHandler({
    stats,
    log: silent,
    options,
    start: async ({ workflowId }) => {
      await start(workflowId);
      started.push(workflowId);
    },
    deadLetter: async (m, reason) => {
      await deadLetter();
      deadLetters.push({ id: m.id, reason, attributes: m.attributes });
    },
  });
  return { stats, started, deadLetters, handler };
}

describe('createMessageHandler', () => {
  it('starts a valid message and counts it', async () => {
    const t = setup(() => Promise.resolve());
    expect(await t.handler(msg('{"num_epochs": "3"}', 'm1', { runKey: 'k1' }), 'pubsub')).toBe('started');
    expect(t.started).toEqual(['penguins-key-k1']);
    expect(t.stats.snapshot()).toMatchObject({ received: 1, started: 1, inFlight: 0 });
    expect(t.stats.snapshot().startLatencyMs.count).toBe(1);
  });

  it('treats an already-started run as a duplicate to ack', async () => {
    const t = setup((id) =>
      Promise.reject(new WorkflowExecutionAlreadyStartedError('dup', id, 'trainingRun')),
    );
    expect(await t.handler(msg('{}'), 'pubsub')).toBe('duplicate');
    expect(t.stats.snapshot()).toMatchObject({ duplicates: 1, started: 0, nacked: 0 });
  });

  it('retries (never acks) when Temporal fails', async () => {
    const t = setup(() => Promise.reject(new Error('14 UNAVAILABLE: connection refused')));
    expect(await t.handler(msg('{}'), 'pubsub')).toBe('retry');
    expect(t.stats.snapshot()).toMatchObject({ nacked: 1, started: 0 });
  });

  it('dead-letters an invalid message and starts nothing', async () => {
    const t = setup(() => Promise.resolve());
    expect(await t.handler(msg('not json', 'm9', { runKey: 'x' }), 'push')).toBe('dead-lettered');
    expect(t.started).toEqual([]);
    expect(t.deadLetters).toEqual([{ id: 'm9', reason: 'not-json', attributes: { runKey: 'x' } }]);
    expect(t.stats.snapshot().deadLettered).toBe(1);
  });

  it('retries an invalid message when the dead-letter topic is unreachable', async () => {
    const t = setup(
      () => Promise.resolve(),
      () => Promise.reject(new Error('UNAVAILABLE')),
    );
    expect(await t.handler(msg('[]'), 'pubsub')).toBe('retry');
    expect(t.stats.snapshot()).toMatchObject({ deadLettered: 0, nacked: 1 });
  });

  it('acks (never retries forever) a message whose dead letter Pub/Sub refuses even in minimal form', async () => {
    const t = setup(
      () => Promise.resolve(),
      () => Promise.reject(new DeadLetterRefusedError('refused')),
    );
    expect(await t.handler(msg('[]'), 'pubsub')).toBe('dropped');
    expect(t.stats.snapshot()).toMatchObject({ deadLettered: 0, dropped: 1, nacked: 0 });
  });

  it('logs a dead letter with its reason and attribute names, never the attribute values', async () => {
    const lines: object[] = [];
    const stats = new BridgeStats();
    const attributes = Object.fromEntries(
      Array.from({ length: 30 }, (_, i) => [`k${i}`, `secret-value-${i}`]),
    );
    const handler = createMessageHandler({
      stats,
      log: { ...silent, warn: (obj) => lines.push(obj) },
      options,
      start: () => Promise.resolve(),
      deadLetter: () => Promise.resolve(),
    });
    await handler(msg('not json', 'm7', attributes), 'pubsub');
    expect(lines).toHaveLength(1);
    const line = JSON.stringify(lines[0]);
    expect(line).not.toContain('secret-value');
    expect(lines[0]).toMatchObject({ messageId: 'm7', reason: 'not-json', attributeCount: 30 });
    expect((lines[0] as { attributeNames: string[] }).attributeNames).toHaveLength(20);
  });
});
