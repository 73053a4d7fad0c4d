import { EventEmitter } from 'node:events';
import type { PubSub } from '@google-cloud/pubsub';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Backoff } from './backoff.ts';
import { CONNECT_SETTLE_MS, startPull } from './pull.ts';

/**
 * A subscription that only streams: reading its metadata (what `exists()` does, which needs
 * `pubsub.subscriptions.get`, beyond roles/pubsub.subscriber) throws.
 */
class StreamOnly extends EventEmitter {
  isOpen = true;
  opened = 0;
  open(): void {
    this.isOpen = true;
    this.opened++;
  }
  close(): Promise<void> {
    this.isOpen = false;
    return Promise.resolve();
  }
}

function fixture() {
  let clock = 1_000_000;
  const sub = new StreamOnly();
  const guarded = new Proxy(sub, {
    get(target, key, receiver) {
      if (key === 'exists' || key === 'getMetadata' || key === 'get' || key === 'iam')
        throw new Error(`readiness must not call subscription.${String(key)}`);
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
  const pubsub = { subscription: () => guarded } as unknown as PubSub;
  const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
  const pull = startPull(pubsub, {
    subscription: 's',
    flowControl: { maxMessages: 1, maxBytes: 1024 },
    drainTimeoutMs: 10,
    handler: () => Promise.resolve('started'),
    backoff: new Backoff(1, 1),
    log: silent,
    now: () => clock,
  });
  return { sub, pull, advance: (ms: number) => (clock += ms) };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('streaming pull readiness', () => {
  it('is connecting until the stream has stayed up without error, then pulling', () => {
    const { pull, advance } = fixture();
    expect(pull.health()).toEqual({ ok: false, detail: 'connecting' });
    advance(CONNECT_SETTLE_MS);
    expect(pull.health()).toEqual({ ok: true, detail: 'pulling' });
  });

  it('reports the stream error the client gave up on, then reopens with backoff', () => {
    vi.useFakeTimers();
    const { sub, pull, advance } = fixture();
    advance(CONNECT_SETTLE_MS);
    // The emulator's error carries the gRPC code apart from its text: the detail names both.
    sub.emit('error', Object.assign(new Error('subscription projects/p/subscriptions/s'), { code: 5 }));
    expect(pull.health()).toEqual({
      ok: false,
      detail: 'NOT_FOUND: subscription projects/p/subscriptions/s',
    });
    sub.isOpen = false;
    sub.emit('close');
    expect(pull.health().ok).toBe(false);
    // The first reopen waits 1 s ± 20 %.
    vi.advanceTimersByTime(1_300);
    expect(sub.opened).toBe(1);
    expect(pull.health()).toEqual({ ok: false, detail: 'connecting' });
    advance(CONNECT_SETTLE_MS);
    expect(pull.health()).toEqual({ ok: true, detail: 'pulling' });
  });

  it('is pulling as soon as a message arrives, and a message clears an earlier error', () => {
    const { sub, pull } = fixture();
    sub.emit('error', Object.assign(new Error('14 UNAVAILABLE: connection reset'), { code: 14 }));
    expect(pull.health()).toEqual({ ok: false, detail: '14 UNAVAILABLE: connection reset' });
    sub.emit('message', {
      id: '1',
      data: Buffer.from('{}'),
      attributes: {},
      publishTime: { getTime: () => 0 },
      ack: () => undefined,
      nack: () => undefined,
    });
    expect(pull.health()).toEqual({ ok: true, detail: 'pulling' });
  });

  it('does not reopen while draining', async () => {
    vi.useFakeTimers();
    const { sub, pull } = fixture();
    const drained = pull.drain();
    sub.emit('close');
    await vi.advanceTimersByTimeAsync(120_000);
    await drained;
    expect(sub.opened).toBe(0);
  });
});
