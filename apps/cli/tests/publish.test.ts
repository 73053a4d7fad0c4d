// `conveyor publish` against the Pub/Sub emulator.
import { PubSub, type Message } from '@google-cloud/pubsub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueName } from '@conveyor/testing';
import { conveyor, conveyorRaw, stack } from './support.ts';

let pubsub: PubSub;
const topic = uniqueName('publish-t');
const subscription = `${topic}-s`;

beforeAll(async () => {
  const s = stack();
  pubsub = new PubSub({
    projectId: s.pubsub.projectId,
    apiEndpoint: s.pubsub.emulatorHost,
    emulatorMode: true,
  });
  await pubsub.createTopic(topic);
  await pubsub.topic(topic).createSubscription(subscription);
});

afterAll(async () => {
  await pubsub?.close();
});

describe('conveyor publish', () => {
  it('publishes the body and attributes and prints the message id', async () => {
    const body = '{"num_epochs": "3", "learning_rate": "1e-2"}';
    const out = JSON.parse(
      await conveyor([
        'publish',
        '--topic',
        topic,
        body,
        '--attr',
        'runKey=k1',
        '--attr',
        'branch=dev',
        '--json',
      ]),
    ) as {
      messageId: string;
      topic: string;
    };
    expect(out.topic).toBe(topic);
    const message = await new Promise<Message>((resolve, reject) => {
      const sub = pubsub.subscription(subscription);
      const timer = setTimeout(() => reject(new Error('no message within 15 s')), 15_000);
      sub.once('message', (m: Message) => {
        clearTimeout(timer);
        m.ack();
        void sub.close().then(() => resolve(m));
      });
    });
    expect(message.id).toBe(out.messageId);
    expect(message.data.toString()).toBe(body);
    expect(message.attributes).toEqual({ runKey: 'k1', branch: 'dev' });
    expect((await conveyor(['publish', '--topic', topic, '{}'])).trim()).toMatch(/^\S+$/);
  });

  it('refuses a body that is not JSON', async () => {
    const r = await conveyorRaw(['publish', '--topic', topic, 'num_epochs=3']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/not JSON/);
  });
});

describe('conveyor publish to a missing topic', () => {
  it('says the topic does not exist and how to create it', async () => {
    const r = await conveyorRaw(['publish', '--topic', uniqueName('missing'), '{}']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/does not exist/);
  });
});
