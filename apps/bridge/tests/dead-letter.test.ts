// Dead letters against the stack's Pub/Sub emulator, which refuses what Pub/Sub refuses (attribute
// count and sizes in bytes, message size): every dead letter must land, whatever the message carried.
import type { PubSub } from '@google-cloud/pubsub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueName } from '@conveyor/testing';
import type { RunningBridge } from '../src/bridge.ts';
import { limitProblems } from '../src/dead-letter.ts';
import type { EnsuredResources } from '../src/resources.ts';
import { bridgeFixture, readMessages, type BridgeFixture } from './support.ts';

let pubsub: PubSub;
let resources: EnsuredResources;
let bridge: RunningBridge;
let fixture: BridgeFixture | undefined;

beforeAll(async () => {
  fixture = await bridgeFixture('bridge-dl');
  ({ pubsub, resources, bridge } = fixture);
});

afterAll(async () => {
  await fixture?.close();
});

describe('the emulator holds publishers to Pub/Sub’s limits', () => {
  it.each([
    ['101 attributes', Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`k${i}`, 'v']))],
    ['a value of 1,026 bytes in 513 characters', { v: 'é'.repeat(513) }],
    ['a key of 257 bytes', { ['k'.repeat(257)]: 'v' }],
  ])('refuses %s with INVALID_ARGUMENT', async (_, attributes) => {
    const error = await pubsub
      .topic(resources.topic)
      .publishMessage({ data: Buffer.from('{}'), attributes })
      .catch((e: unknown) => e);
    expect((error as { code?: number }).code).toBe(3);
  });
});

describe('dead letters always land', () => {
  it('with 98 attributes of multibyte values, and with a multibyte detail', async () => {
    const tag = uniqueName('dl');
    const many: Record<string, string> = { tag, runKey: `${tag}-many` };
    // 96 more values of 1,024 bytes in 512 characters each: 98 attributes, each at Pub/Sub's limit.
    for (let i = 0; i < 96; i++) many[`a${String(i).padStart(2, '0')}`] = 'ü'.repeat(512);
    const topic = pubsub.topic(resources.topic);
    const ids = [
      await topic.publishMessage({ data: Buffer.from('not json'), attributes: many }),
      // An unknown parameter of 600 two-byte characters: its detail is 1,200+ bytes in fewer characters.
      await topic.publishMessage({
        data: Buffer.from(JSON.stringify({ ['é'.repeat(600)]: 1 })),
        attributes: { tag, runKey: `${tag}-detail` },
      }),
    ];
    const letters = (await readMessages(pubsub, resources.deadLetterSubscription, 2, 30_000)).filter(
      (m) =>
        m.attributes['tag'] === tag || JSON.parse(m.attributes['originalAttributes'] ?? '{}').tag === tag,
    );
    expect(letters.map((m) => m.attributes['originalMessageId']).sort()).toEqual([...ids].sort());
    for (const letter of letters) {
      expect(limitProblems({ data: letter.data, attributes: letter.attributes })).toEqual([]);
    }
    const manyLetter = letters.find((m) => m.attributes['originalMessageId'] === ids[0]);
    expect(manyLetter?.attributes).toMatchObject({ reason: 'not-json', runKey: `${tag}-many` });
    expect(manyLetter?.data.toString()).toBe('not json');
    const detailLetter = letters.find((m) => m.attributes['originalMessageId'] === ids[1]);
    expect(detailLetter?.attributes['reason']).toBe('invalid-parameters');
    expect(detailLetter?.attributes['detail']).toMatch(/^é+/);
    expect(bridge.stats.snapshot()).toMatchObject({ deadLettered: 2, nacked: 0 });
  });
});
