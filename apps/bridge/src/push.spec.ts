import { describe, expect, it } from 'vitest';
import type { MessageHandler } from './handler.ts';
import { handlePush, parseEnvelope } from './push.ts';

const envelope = {
  message: {
    data: Buffer.from('{"num_epochs": 3}').toString('base64'),
    attributes: { runKey: 'k' },
    messageId: '123',
    message_id: '123',
    publishTime: '2026-01-02T03:04:05.000Z',
  },
  subscription: 'projects/p/subscriptions/s',
};

describe('push envelope', () => {
  it('decodes data, attributes, id and publish time', () => {
    const m = parseEnvelope(envelope);
    if (typeof m === 'string') throw new Error(m);
    expect(m.data.toString()).toBe('{"num_epochs": 3}');
    expect(m.attributes).toEqual({ runKey: 'k' });
    expect(m.id).toBe('123');
    expect(m.publishTime.toISOString()).toBe('2026-01-02T03:04:05.000Z');
  });

  it('explains what is not an envelope', () => {
    expect(parseEnvelope({ hello: 1 })).toMatch(/not a Pub\/Sub push envelope/);
    expect(parseEnvelope({ message: { data: '' } })).toMatch(/messageId is missing/);
  });

  it.each([
    ['started', 200],
    ['duplicate', 200],
    ['dead-lettered', 400],
    ['retry', 503],
  ] as const)('answers %s with %i', async (outcome, status) => {
    const handler: MessageHandler = () => Promise.resolve(outcome);
    expect((await handlePush(envelope, handler)).status).toBe(status);
  });
});
