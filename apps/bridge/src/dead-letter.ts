import type { Topic } from '@google-cloud/pubsub';
import type { IncomingMessage, RejectReason } from './message.ts';

/** Pub/Sub caps one attribute value at 1024 bytes; details are cut well below that. */
const MAX_DETAIL_CHARS = 900;

/** Attributes the bridge adds to a dead letter (on top of the original attributes). */
export const DeadLetterAttributes = {
  reason: 'reason',
  detail: 'detail',
  originalMessageId: 'originalMessageId',
  originalPublishTime: 'originalPublishTime',
} as const;

/**
 * Publishes `message` (same body) to the dead-letter topic with its original attributes plus
 * `reason`, `detail`, `originalMessageId` and `originalPublishTime`. Resolves with the new message id.
 */
export function createDeadLetterPublisher(topic: Topic) {
  return (message: IncomingMessage, reason: RejectReason, detail: string): Promise<string> =>
    topic.publishMessage({
      data: message.data,
      attributes: {
        ...message.attributes,
        [DeadLetterAttributes.reason]: reason,
        [DeadLetterAttributes.detail]:
          detail.length > MAX_DETAIL_CHARS ? `${detail.slice(0, MAX_DETAIL_CHARS)}…` : detail,
        [DeadLetterAttributes.originalMessageId]: message.id,
        [DeadLetterAttributes.originalPublishTime]: message.publishTime.toISOString(),
      },
    });
}
