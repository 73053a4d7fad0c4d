// POST /pubsub/push: the Pub/Sub push envelope through the same handler as pull.
import { z } from 'zod';
import type { MessageHandler, Outcome } from './handler.ts';
import type { IncomingMessage } from './message.ts';

/** The push envelope Pub/Sub POSTs (JSON). */
export const PushEnvelopeSchema = z.object({
  message: z.object({
    /** Base64 body; absent for an empty message. */
    data: z.string().optional(),
    attributes: z.record(z.string(), z.string()).optional(),
    messageId: z.string().min(1).optional(),
    message_id: z.string().min(1).optional(),
    publishTime: z.string().optional(),
    publish_time: z.string().optional(),
  }),
  subscription: z.string().optional(),
  deliveryAttempt: z.number().optional(),
});

/** An HTTP answer. */
export interface PushResponse {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

const STATUS: Record<Outcome, number> = {
  // 2xx only once the run exists (started or proven duplicate).
  started: 200,
  duplicate: 200,
  // 4xx after the dead letter was published: the message can never succeed.
  'dead-lettered': 400,
  // 5xx: Pub/Sub retries with its own backoff.
  retry: 503,
};

/** Parses an envelope into a message, or explains why it is not one. */
export function parseEnvelope(body: unknown): IncomingMessage | string {
  const parsed = PushEnvelopeSchema.safeParse(body);
  if (!parsed.success)
    return `not a Pub/Sub push envelope: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`;
  const m = parsed.data.message;
  const id = m.messageId ?? m.message_id;
  if (id === undefined) return 'not a Pub/Sub push envelope: message.messageId is missing';
  const published = new Date(m.publishTime ?? m.publish_time ?? Date.now());
  return {
    id,
    data: Buffer.from(m.data ?? '', 'base64'),
    attributes: m.attributes ?? {},
    publishTime: Number.isNaN(published.getTime()) ? new Date() : published,
    deliveryAttempt: parsed.data.deliveryAttempt,
  };
}

/** Handles an authenticated push request body (already JSON-parsed). */
export async function handlePush(body: unknown, handler: MessageHandler): Promise<PushResponse> {
  const message = parseEnvelope(body);
  if (typeof message === 'string') return { status: 400, body: { error: message } };
  const outcome = await handler(message, 'push');
  return { status: STATUS[outcome], body: { messageId: message.id, outcome } };
}
