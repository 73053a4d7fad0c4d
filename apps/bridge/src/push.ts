// POST /pubsub/push: the Pub/Sub push envelope through the same handler as pull.
import { z } from 'zod';
import { listProblems } from '@conveyor/pipeline/spec';
import { PubsubLimits } from './dead-letter.ts';
import type { MessageHandler, Outcome } from './handler.ts';
import type { IncomingMessage } from './message.ts';

/**
 * Largest push request body the endpoint reads: a message of Pub/Sub's maximum size (10 MB) grows by
 * 4/3 in base64, and 1 MiB more covers the envelope around it (up to 100 attributes of 1,280 bytes,
 * JSON-escaped, ids, times, the subscription name). So a message Pub/Sub accepted always reaches the
 * handler, which dead-letters it as too large, instead of a 413 that Pub/Sub would retry forever.
 */
export const PUSH_BODY_LIMIT_BYTES = Math.ceil(PubsubLimits.maxMessageBytes / 3) * 4 + 1024 * 1024;

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
  // 2xx only once the run exists (started or proven duplicate) ...
  started: 200,
  duplicate: 200,
  // ... or the message is dealt with for good: Pub/Sub redelivers every non-2xx answer, so a 4xx
  // here would bring a message that can never start a run back forever.
  'dead-lettered': 200,
  dropped: 200,
  // 5xx: Pub/Sub retries with its own backoff.
  retry: 503,
};

/** Standard base64 with padding, as Pub/Sub writes it; the round trip below rejects stray bits. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** RFC 3339 as Pub/Sub writes publish times (fractions up to nanoseconds, `Z` or an offset). */
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

function strictBase64(data: string): Buffer | undefined {
  if (!BASE64.test(data)) return undefined;
  const bytes = Buffer.from(data, 'base64');
  return bytes.toString('base64') === data ? bytes : undefined;
}

/** The instant of an RFC 3339 time, or undefined when it is not one (or names no real date). */
export function parseRfc3339(text: string): Date | undefined {
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const utc = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  if (utc.getUTCFullYear() !== year || utc.getUTCMonth() !== month - 1 || utc.getUTCDate() !== day)
    return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const millis = Math.floor(Number(`0${m[7] ?? ''}`) * 1000);
  const zone = m[8] ?? 'Z';
  const offsetMinutes =
    zone === 'Z'
      ? 0
      : (zone.startsWith('-') ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
  return new Date(utc.getTime() + millis - offsetMinutes * 60_000);
}

const bad = (what: string) => `not a Pub/Sub push envelope: ${what}`;

/** Parses an envelope into a message, or explains why it is not one. */
export function parseEnvelope(body: unknown): IncomingMessage | string {
  const parsed = PushEnvelopeSchema.safeParse(body);
  if (!parsed.success) {
    return bad(listProblems(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)));
  }
  const m = parsed.data.message;
  const id = m.messageId ?? m.message_id;
  if (id === undefined) return bad('message.messageId is missing');
  const data = strictBase64(m.data ?? '');
  if (data === undefined) return bad('message.data is not base64');
  const time = m.publishTime ?? m.publish_time;
  if (time === undefined) return bad('message.publishTime is missing');
  const publishTime = parseRfc3339(time);
  if (publishTime === undefined) return bad('message.publishTime is not an RFC 3339 time');
  return {
    id,
    data,
    attributes: m.attributes ?? {},
    publishTime,
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
