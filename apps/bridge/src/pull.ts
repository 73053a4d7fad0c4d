// Streaming pull: messages → handler → ack / delayed nack. Flow control bounds what is held at once.
import { setTimeout as sleep } from 'node:timers/promises';
import { status as GrpcStatus } from '@grpc/grpc-js';
import {
  Duration,
  SubscriptionCloseBehaviors,
  type Message,
  type PubSub,
  type Subscription,
} from '@google-cloud/pubsub';
import { Backoff } from './backoff.ts';
import type { MessageHandler } from './handler.ts';
import type { IncomingMessage } from './message.ts';

/** Options of {@link startPull}. */
export interface PullOptions {
  readonly subscription: string;
  readonly flowControl: { readonly maxMessages: number; readonly maxBytes: number };
  /** SIGTERM: how long in-flight messages may take before the rest are nacked. */
  readonly drainTimeoutMs: number;
  readonly handler: MessageHandler;
  readonly backoff: Backoff;
  readonly log: {
    info(obj: object, msg: string): void;
    warn(obj: object, msg: string): void;
    error(obj: object, msg: string): void;
  };
  /** @default Date.now */
  readonly now?: () => number;
}

/** What `/readyz` reports for the streaming pull. */
export interface PullHealth {
  readonly ok: boolean;
  /** `pulling`, `connecting`, or what went wrong. */
  readonly detail: string;
}

/**
 * How long a freshly opened stream counts as connecting. A stream the server refuses (no such
 * subscription, no permission to consume it) fails on its first request, one round trip after the
 * connection is up; 2 s covers a cold TLS handshake and token fetch.
 */
export const CONNECT_SETTLE_MS = 2_000;

/** Reopening after the client gave up: from 1 s, doubling, at most a minute apart. */
const REOPEN_BASE_MS = 1_000;
const REOPEN_MAX_MS = 60_000;

/** A running subscriber. */
export interface PullSubscriber {
  readonly subscription: Subscription;
  /**
   * Whether the stream is pulling: open, past {@link CONNECT_SETTLE_MS} (or a message arrived), and
   * no error since. Reads no subscription metadata, so it needs nothing beyond consuming it
   * (`roles/pubsub.subscriber`).
   */
  readonly health: () => PullHealth;
  /** Stops pulling, lets in-flight messages finish (ack/nack) within the drain timeout, closes. */
  readonly drain: () => Promise<void>;
}

function toIncoming(m: Message): IncomingMessage {
  return {
    id: m.id,
    data: m.data,
    attributes: m.attributes ?? {},
    publishTime: new Date(m.publishTime.getTime()),
    deliveryAttempt: m.deliveryAttempt,
  };
}

/**
 * A stream error with its gRPC status name: the emulator's messages carry only the detail
 * (`subscription projects/…`), Google's start with `5 NOT_FOUND:`.
 */
function describeStreamError(e: Error): string {
  const code = (e as { code?: unknown }).code;
  const name = typeof code === 'number' ? (GrpcStatus[code] ?? `code ${code}`) : undefined;
  return name === undefined || e.message.includes(name) ? e.message : `${name}: ${e.message}`;
}

/** Opens the streaming pull on `options.subscription`. */
export function startPull(pubsub: Pick<PubSub, 'subscription'>, options: PullOptions): PullSubscriber {
  const now = options.now ?? Date.now;
  let draining = false;
  let lastError: Error | undefined;
  let openedAt = now();
  let pulled = false;
  let reopenTimer: NodeJS.Timeout | undefined;
  const reopenBackoff = new Backoff(REOPEN_BASE_MS, REOPEN_MAX_MS);
  const pending = new Set<Promise<void>>();
  const subscription = pubsub.subscription(options.subscription, {
    flowControl: {
      maxMessages: options.flowControl.maxMessages,
      maxBytes: options.flowControl.maxBytes,
      // Strict: never hold more than asked, even when a pull response carries a larger batch.
      allowExcessMessages: false,
    },
    closeOptions: {
      behavior: SubscriptionCloseBehaviors.WaitForProcessing,
      timeout: Duration.from({ milliseconds: options.drainTimeoutMs }),
    },
  });

  async function settle(m: Message): Promise<void> {
    const outcome = await options.handler(toIncoming(m), 'pubsub');
    if (outcome === 'retry') {
      // Back off before giving it back: an immediate nack would come straight back while Temporal is down.
      // The lease manager keeps extending the ack deadline while we wait. While draining, give it back now.
      if (!draining) await sleep(options.backoff.fail());
      m.nack();
      return;
    }
    if (outcome === 'started' || outcome === 'duplicate') options.backoff.succeed();
    m.ack();
  }

  subscription.on('message', (m: Message) => {
    lastError = undefined;
    pulled = true;
    const p = settle(m).catch((e: unknown) => {
      // The handler never throws; this is a bug guard: give the message back rather than lose it.
      options.log.error({ messageId: m.id, error: String(e) }, 'message processing crashed');
      m.nack();
    });
    pending.add(p);
    void p.finally(() => pending.delete(p));
  });
  subscription.on('error', (e: Error) => {
    lastError = e;
    options.log.error({ error: e.message, subscription: options.subscription }, 'subscription error');
  });
  // The client closes the stream for good after an error it does not retry (NOT_FOUND,
  // PERMISSION_DENIED, …). Open it again with backoff: the subscription or the grant may come later.
  subscription.on('close', () => {
    if (draining) return;
    if (now() - openedAt > REOPEN_MAX_MS) reopenBackoff.succeed();
    const delay = reopenBackoff.fail();
    options.log.warn(
      { subscription: options.subscription, error: lastError?.message, reopenInMs: delay },
      'streaming pull stopped; reopening',
    );
    reopenTimer = setTimeout(() => {
      reopenTimer = undefined;
      if (draining) return;
      lastError = undefined;
      pulled = false;
      openedAt = now();
      subscription.open();
    }, delay);
    reopenTimer.unref();
  });
  options.log.info({ subscription: options.subscription, flowControl: options.flowControl }, 'pulling');

  return {
    subscription,
    health: () => {
      if (lastError) return { ok: false, detail: describeStreamError(lastError) };
      if (!subscription.isOpen) return { ok: false, detail: 'stream closed; reopening' };
      if (!pulled && now() - openedAt < CONNECT_SETTLE_MS) return { ok: false, detail: 'connecting' };
      return { ok: true, detail: 'pulling' };
    },
    drain: async () => {
      draining = true;
      clearTimeout(reopenTimer);
      // close() stops the stream, then waits (WaitForProcessing) for held messages to be acked/nacked.
      const closing = subscription.close();
      const deadline = sleep(options.drainTimeoutMs, 'timeout' as const, { ref: false });
      await Promise.race([Promise.allSettled([...pending]), deadline]);
      await closing;
    },
  };
}
