// Streaming pull: messages → handler → ack / delayed nack. Flow control bounds what is held at once.
import { setTimeout as sleep } from 'node:timers/promises';
import {
  Duration,
  SubscriptionCloseBehaviors,
  type Message,
  type PubSub,
  type Subscription,
} from '@google-cloud/pubsub';
import type { Backoff } from './backoff.ts';
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
  readonly log: { info(obj: object, msg: string): void; error(obj: object, msg: string): void };
}

/** A running subscriber. */
export interface PullSubscriber {
  readonly subscription: Subscription;
  /** The last stream error, cleared when a message arrives (for /readyz). */
  readonly lastError: () => Error | undefined;
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

/** Opens the streaming pull on `options.subscription`. */
export function startPull(pubsub: PubSub, options: PullOptions): PullSubscriber {
  let draining = false;
  let lastError: Error | undefined;
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
  options.log.info({ subscription: options.subscription, flowControl: options.flowControl }, 'pulling');

  return {
    subscription,
    lastError: () => lastError,
    drain: async () => {
      draining = true;
      // close() stops the stream, then waits (WaitForProcessing) for held messages to be acked/nacked.
      const closing = subscription.close();
      const deadline = sleep(options.drainTimeoutMs, 'timeout' as const, { ref: false });
      await Promise.race([Promise.allSettled([...pending]), deadline]);
      await closing;
    },
  };
}
