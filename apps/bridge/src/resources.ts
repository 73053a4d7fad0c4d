// Creates the bridge's Pub/Sub resources when missing: what local mode (and a first deployment) needs.
import type { PubSub } from '@google-cloud/pubsub';
import { gcpErrorKindOf } from '@conveyor/contracts';

/** Names and settings of {@link ensurePubsubResources}. */
export interface PubsubResources {
  /** @default 'conveyor-training' */
  readonly topic?: string;
  /** @default 'conveyor-training-bridge' */
  readonly subscription?: string;
  /** @default 'conveyor-training-dead-letter' */
  readonly deadLetterTopic?: string;
  /** Subscription on the dead-letter topic so dead letters can be read. @default '<deadLetterTopic>-sub' */
  readonly deadLetterSubscription?: string;
  /**
   * Deliveries before Pub/Sub itself moves a message to the dead-letter topic. The bridge
   * dead-letters invalid messages on the first delivery; this is the last resort for a message
   * that keeps failing (e.g. one crashing the bridge), so it is the maximum Pub/Sub allows.
   * @default 100
   */
  readonly maxDeliveryAttempts?: number;
  /** Seconds. @default 60 (the bridge's lease manager extends it while a start is in flight) */
  readonly ackDeadlineSeconds?: number;
}

/** The names that were ensured. */
export interface EnsuredResources {
  readonly topic: string;
  readonly subscription: string;
  readonly deadLetterTopic: string;
  readonly deadLetterSubscription: string;
}

/** ALREADY_EXISTS: another process created it first, which is fine. */
function isAlreadyExists(e: unknown): boolean {
  return gcpErrorKindOf(e) === 'already-exists';
}

async function create(fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (e: unknown) {
    if (!isAlreadyExists(e)) throw e;
  }
}

/**
 * Creates the topic, the dead-letter topic (with a subscription to read it) and the bridge's
 * subscription with a dead-letter policy, each only when missing. Idempotent.
 */
export async function ensurePubsubResources(
  pubsub: PubSub,
  names: PubsubResources = {},
): Promise<EnsuredResources> {
  const topic = names.topic ?? 'conveyor-training';
  const subscription = names.subscription ?? 'conveyor-training-bridge';
  const deadLetterTopic = names.deadLetterTopic ?? 'conveyor-training-dead-letter';
  const deadLetterSubscription = names.deadLetterSubscription ?? `${deadLetterTopic}-sub`;
  await create(() => pubsub.createTopic(topic));
  await create(() => pubsub.createTopic(deadLetterTopic));
  await create(() => pubsub.topic(deadLetterTopic).createSubscription(deadLetterSubscription));
  await create(() =>
    pubsub.topic(topic).createSubscription(subscription, {
      ackDeadlineSeconds: names.ackDeadlineSeconds ?? 60,
      deadLetterPolicy: {
        deadLetterTopic: pubsub.topic(deadLetterTopic).name,
        maxDeliveryAttempts: names.maxDeliveryAttempts ?? 100,
      },
    }),
  );
  return { topic, subscription, deadLetterTopic, deadLetterSubscription };
}
