import type { Topic } from '@google-cloud/pubsub';
import { describe, expect, it, vi } from 'vitest';
import {
  buildDeadLetter,
  createDeadLetterPublisher,
  DeadLetterRefusedError,
  limitProblems,
  minimalDeadLetter,
  PubsubLimits,
  type OutgoingMessage,
} from './dead-letter.ts';
import type { IncomingMessage } from './message.ts';

function incoming(
  attributes: Record<string, string> = {},
  data = Buffer.from('{"num_epochs": 3.5}'),
): IncomingMessage {
  return { id: 'm-1', data, attributes, publishTime: new Date('2026-01-02T03:04:05Z') };
}

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

/** Every value decodes to itself: no multi-byte character was cut in half. */
function wholeCharacters(m: OutgoingMessage): void {
  for (const value of Object.values(m.attributes)) {
    expect(value).not.toContain('\uFFFD');
    expect(Buffer.from(value, 'utf8').toString('utf8')).toBe(value);
  }
}

describe('buildDeadLetter: always within Pub/Sub limits', () => {
  it('keeps body and original attributes, adds the reason, and fits', () => {
    const m = buildDeadLetter(incoming({ runKey: 'k', tag: 't' }), 'invalid-parameters', 'num_epochs: bad');
    expect(m.data.toString()).toBe('{"num_epochs": 3.5}');
    expect(m.attributes).toEqual({
      runKey: 'k',
      tag: 't',
      reason: 'invalid-parameters',
      detail: 'num_epochs: bad',
      originalMessageId: 'm-1',
      originalPublishTime: '2026-01-02T03:04:05.000Z',
    });
    expect(limitProblems(m)).toEqual([]);
  });

  it('cuts a multibyte detail by bytes, at a character boundary', () => {
    // 2 bytes per character: the old cut at 900 characters made 1,800 bytes, which Pub/Sub refuses.
    const m = buildDeadLetter(incoming(), 'invalid-parameters', 'é'.repeat(2000));
    expect(bytes(m.attributes['detail'] ?? '')).toBeLessThanOrEqual(PubsubLimits.maxValueBytes);
    expect(m.attributes['detail']).toMatch(/^é+…$/);
    wholeCharacters(m);
    expect(limitProblems(m)).toEqual([]);
    // 4-byte characters (emoji) too.
    const emoji = buildDeadLetter(incoming(), 'invalid-parameters', '🐧'.repeat(1000));
    wholeCharacters(emoji);
    expect(limitProblems(emoji)).toEqual([]);
  });

  it('folds 98 original attributes into one JSON attribute, keeping the bridge’s own names on top', () => {
    const originals: Record<string, string> = { runKey: 'nightly-1', pipeline: 'penguins' };
    for (let i = 0; i < 96; i++) originals[`a${String(i).padStart(2, '0')}`] = 'ü'.repeat(512); // 1,024 bytes
    const m = buildDeadLetter(incoming(originals), 'invalid-parameters', 'x');
    expect(limitProblems(m)).toEqual([]);
    expect(Object.keys(m.attributes).length).toBeLessThanOrEqual(PubsubLimits.maxAttributes);
    expect(m.attributes).toMatchObject({
      reason: 'invalid-parameters',
      runKey: 'nightly-1',
      pipeline: 'penguins',
    });
    const folded = JSON.parse(m.attributes['originalAttributes'] ?? '') as Record<string, string>;
    expect(folded['runKey']).toBe('nightly-1');
    // What did not fit is counted, never silently lost.
    expect(Object.keys(folded).length + Number(m.attributes['originalAttributesOmitted'])).toBe(98);
    wholeCharacters(m);
  });

  it('keeps 95 originals as they are when they fit next to its own four', () => {
    const originals = Object.fromEntries(Array.from({ length: 95 }, (_, i) => [`k${i}`, 'ü'.repeat(512)]));
    const m = buildDeadLetter(incoming(originals), 'not-json', 'x');
    expect(Object.keys(m.attributes)).toHaveLength(99);
    expect(m.attributes['k94']).toBe('ü'.repeat(512));
    expect(limitProblems(m)).toEqual([]);
  });

  it('folds originals that break a per-attribute limit or collide with its own names', () => {
    const long = buildDeadLetter(incoming({ ['k'.repeat(300)]: 'v', runKey: 'r' }), 'not-json', 'x');
    expect(limitProblems(long)).toEqual([]);
    expect(long.attributes['runKey']).toBe('r');
    expect(long.attributes['originalAttributes']).toBeDefined();
    const collide = buildDeadLetter(incoming({ reason: 'mine' }), 'not-json', 'x');
    expect(collide.attributes['reason']).toBe('not-json');
    expect(JSON.parse(collide.attributes['originalAttributes'] ?? '{}')).toEqual({ reason: 'mine' });
  });

  it('cuts a body that would take the message over 10 MB and says how long it was', () => {
    const data = Buffer.alloc(PubsubLimits.maxMessageBytes, 'x');
    const m = buildDeadLetter(incoming({ runKey: 'k' }, data), 'too-large', 'body is 10000000 bytes');
    expect(limitProblems(m)).toEqual([]);
    expect(m.data.length).toBeLessThan(data.length);
    expect(m.attributes['originalDataBytes']).toBe(String(data.length));
  });

  it('limitProblems names what Pub/Sub would refuse', () => {
    expect(
      limitProblems({
        data: Buffer.alloc(0),
        attributes: { ['k'.repeat(257)]: 'v', v: 'é'.repeat(513) },
      }),
    ).toEqual(['attribute key of 257 bytes (max 256)', 'attribute v: value of 1026 bytes (max 1024)']);
    expect(limitProblems({ data: Buffer.alloc(0), attributes: {} })).toEqual([
      'a message needs data or at least one attribute',
    ]);
  });
});

describe('createDeadLetterPublisher', () => {
  const invalid = () => Object.assign(new Error('3 INVALID_ARGUMENT: attribute too long'), { code: 3 });

  it('publishes a minimal dead letter when Pub/Sub refuses the full one as invalid', async () => {
    const publishMessage = vi.fn().mockRejectedValueOnce(invalid()).mockResolvedValueOnce('dl-2');
    const publish = createDeadLetterPublisher({ publishMessage } as unknown as Topic);
    await expect(publish(incoming({ runKey: 'k' }), 'not-json', 'detail')).resolves.toEqual({
      id: 'dl-2',
      minimal: true,
    });
    const second = publishMessage.mock.calls[1]?.[0] as OutgoingMessage;
    expect(second).toEqual(minimalDeadLetter(incoming({ runKey: 'k' }), 'not-json', 'detail'));
    expect(second.attributes).toMatchObject({
      reason: 'not-json',
      originalMessageId: 'm-1',
      minimal: 'true',
    });
  });

  it('gives up (never retries forever) when even the minimal one is refused as invalid', async () => {
    const publishMessage = vi.fn().mockRejectedValue(invalid());
    const publish = createDeadLetterPublisher({ publishMessage } as unknown as Topic);
    await expect(publish(incoming(), 'not-json', 'd')).rejects.toBeInstanceOf(DeadLetterRefusedError);
    expect(publishMessage).toHaveBeenCalledTimes(2);
  });

  it('lets a transient failure through, so the message is retried', async () => {
    const unavailable = Object.assign(new Error('14 UNAVAILABLE'), { code: 14 });
    const publishMessage = vi.fn().mockRejectedValue(unavailable);
    const publish = createDeadLetterPublisher({ publishMessage } as unknown as Topic);
    await expect(publish(incoming(), 'not-json', 'd')).rejects.toBe(unavailable);
    expect(publishMessage).toHaveBeenCalledTimes(1);
  });
});
