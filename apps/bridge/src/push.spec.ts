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

  const withMessage = (over: Record<string, unknown>) => ({
    ...envelope,
    message: { ...envelope.message, ...over },
  });

  it.each([
    ['not base64 at all', 'not base64!'],
    ['base64url', Buffer.from([0xfb, 0xff]).toString('base64url')],
    ['missing padding', 'YQ'],
    ['bits after the end', 'YR=='],
    ['whitespace', 'eyJh Ijox fQ=='],
  ])('refuses data that is not strict base64: %s', (_, data) => {
    expect(parseEnvelope(withMessage({ data }))).toBe(
      'not a Pub/Sub push envelope: message.data is not base64',
    );
  });

  it('accepts strict base64, empty data too', () => {
    const m = parseEnvelope(withMessage({ data: Buffer.from([0xfb, 0xff, 0x00]).toString('base64') }));
    expect(typeof m !== 'string' && [...m.data]).toEqual([0xfb, 0xff, 0x00]);
    const empty = parseEnvelope(withMessage({ data: undefined }));
    expect(typeof empty !== 'string' && empty.data.length).toBe(0);
  });

  it.each([['yesterday'], ['2026-13-45T99:00:00Z'], ['1767323045'], [''], [undefined]])(
    'refuses an unparsable or missing publishTime: %j',
    (publishTime) => {
      expect(parseEnvelope(withMessage({ publishTime }))).toMatch(
        /^not a Pub\/Sub push envelope: message\.publishTime /,
      );
    },
  );

  it('reads publish times with nanoseconds and offsets', () => {
    const m = parseEnvelope(withMessage({ publishTime: '2026-01-02T03:04:05.123456789Z' }));
    expect(typeof m !== 'string' && m.publishTime.toISOString()).toBe('2026-01-02T03:04:05.123Z');
    const offset = parseEnvelope(withMessage({ publishTime: '2026-01-02T04:04:05+01:00' }));
    expect(typeof offset !== 'string' && offset.publishTime.toISOString()).toBe('2026-01-02T03:04:05.000Z');
  });

  it.each([
    ['started', 200],
    ['duplicate', 200],
    // Dead-lettered or dropped: the message is dealt with; a 4xx would make Pub/Sub redeliver it forever.
    ['dead-lettered', 200],
    ['dropped', 200],
    ['retry', 503],
  ] as const)('answers %s with %i', async (outcome, status) => {
    const handler: MessageHandler = () => Promise.resolve(outcome);
    expect((await handlePush(envelope, handler)).status).toBe(status);
  });
});
