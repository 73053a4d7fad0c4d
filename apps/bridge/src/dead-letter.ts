// Dead letters that always land: built to fit Pub/Sub's limits, with a minimal fallback when Pub/Sub
// refuses the full one as invalid anyway.
import type { Topic } from '@google-cloud/pubsub';
import { gcpErrorKindOf } from '@conveyor/contracts';
import { Attributes, type IncomingMessage, type RejectReason } from './message.ts';
import { cutUtf8, utf8Bytes } from './utf8.ts';

/**
 * Pub/Sub's per-message resource limits (Google Cloud's "Pub/Sub quotas and limits" page): at most 100
 * attributes; an attribute key of at most 256 bytes and a value of at most 1,024 bytes, counted in
 * UTF-8 bytes, not characters; a message of at most 10 MB (10,000,000 bytes, as is a whole publish
 * request). Pub/Sub refuses a publish that breaks one with INVALID_ARGUMENT.
 */
export const PubsubLimits = {
  maxAttributes: 100,
  maxKeyBytes: 256,
  maxValueBytes: 1024,
  maxMessageBytes: 10_000_000,
} as const;

/**
 * What a dead letter may take of the 10 MB: the publish request also carries the topic name and the
 * protobuf framing of up to 100 attributes, so 64 KiB stay free for them.
 */
const DEAD_LETTER_BUDGET_BYTES = PubsubLimits.maxMessageBytes - 64 * 1024;

/** The `detail` of a minimal dead letter: short, since it is the last resort. */
const MINIMAL_DETAIL_BYTES = 256;

/** Attributes the bridge adds to a dead letter. */
export const DeadLetterAttributes = {
  reason: 'reason',
  detail: 'detail',
  originalMessageId: 'originalMessageId',
  originalPublishTime: 'originalPublishTime',
  /** JSON object of the original attributes, when they could not be kept as they were. */
  originalAttributes: 'originalAttributes',
  /** How many original attributes did not fit into `originalAttributes`. */
  originalAttributesOmitted: 'originalAttributesOmitted',
  /** Size of the original body when the dead letter carries less of it (or none). */
  originalDataBytes: 'originalDataBytes',
  /** `true` on the fallback dead letter that carries only the reason and the original's identity. */
  minimal: 'minimal',
} as const;

/** A message to publish. */
export interface OutgoingMessage {
  readonly data: Buffer;
  readonly attributes: Readonly<Record<string, string>>;
}

/** The dead letter was refused as invalid twice (full and minimal): retrying cannot make it land. */
export class DeadLetterRefusedError extends Error {
  override readonly name = 'DeadLetterRefusedError';
}

/** What Pub/Sub would refuse about `m` (empty when it fits the limits). */
export function limitProblems(m: OutgoingMessage): string[] {
  const problems: string[] = [];
  const entries = Object.entries(m.attributes);
  if (entries.length > PubsubLimits.maxAttributes)
    problems.push(`${entries.length} attributes (max ${PubsubLimits.maxAttributes})`);
  let size = m.data.length;
  for (const [key, value] of entries) {
    size += utf8Bytes(key) + utf8Bytes(value);
    if (utf8Bytes(key) > PubsubLimits.maxKeyBytes)
      problems.push(`attribute key of ${utf8Bytes(key)} bytes (max ${PubsubLimits.maxKeyBytes})`);
    else if (utf8Bytes(value) > PubsubLimits.maxValueBytes)
      problems.push(
        `attribute ${key}: value of ${utf8Bytes(value)} bytes (max ${PubsubLimits.maxValueBytes})`,
      );
  }
  if (size > PubsubLimits.maxMessageBytes)
    problems.push(`message of ${size} bytes (max ${PubsubLimits.maxMessageBytes})`);
  if (m.data.length === 0 && entries.length === 0)
    problems.push('a message needs data or at least one attribute');
  return problems;
}

function fitsAsAttribute(key: string, value: string): boolean {
  return utf8Bytes(key) <= PubsubLimits.maxKeyBytes && utf8Bytes(value) <= PubsubLimits.maxValueBytes;
}

/**
 * The originals folded into one JSON object of at most 1,024 bytes: the bridge's own attribute names
 * first, then the rest by name, each entry whole or not at all (the JSON always parses).
 */
function fold(originals: Readonly<Record<string, string>>): { json: string; omitted: number } {
  const known: readonly string[] = Object.values(Attributes);
  const keys = Object.keys(originals).sort((a, b) => {
    const rank = Number(!known.includes(a)) - Number(!known.includes(b));
    return rank !== 0 ? rank : a < b ? -1 : a > b ? 1 : 0;
  });
  const kept: Record<string, string> = {};
  let omitted = 0;
  let size = utf8Bytes('{}');
  for (const key of keys) {
    // `"key":"value"` plus a comma after the first entry: the JSON grows by exactly this much.
    const entry = utf8Bytes(JSON.stringify(key)) + 1 + utf8Bytes(JSON.stringify(originals[key] ?? ''));
    const grown = size + entry + (size > 2 ? 1 : 0);
    if (grown > PubsubLimits.maxValueBytes) {
      omitted++;
      continue;
    }
    kept[key] = originals[key] ?? '';
    size = grown;
  }
  return { json: JSON.stringify(kept), omitted };
}

function ownAttributes(message: IncomingMessage, reason: RejectReason, detail: string, detailBytes: number) {
  return {
    [DeadLetterAttributes.reason]: reason,
    [DeadLetterAttributes.detail]: cutUtf8(detail, detailBytes),
    [DeadLetterAttributes.originalMessageId]: cutUtf8(message.id, PubsubLimits.maxValueBytes),
    [DeadLetterAttributes.originalPublishTime]: message.publishTime.toISOString(),
  };
}

/**
 * The dead letter of `message`: its body and attributes plus `reason`, `detail`, `originalMessageId`
 * and `originalPublishTime`, always within {@link PubsubLimits}. Originals that would break a limit
 * (too many, a key or value too long, or a name the bridge uses) are folded into `originalAttributes`,
 * while the bridge's own names (`runKey`, `pipeline`, …) stay on top when they fit; a body that would
 * take the message over 10 MB is cut, with `originalDataBytes` saying how long it was.
 */
export function buildDeadLetter(
  message: IncomingMessage,
  reason: RejectReason,
  detail: string,
): OutgoingMessage {
  const own: Record<string, string> = ownAttributes(message, reason, detail, PubsubLimits.maxValueBytes);
  const originals = Object.entries(message.attributes);
  const asIs =
    originals.length + Object.keys(own).length <= PubsubLimits.maxAttributes &&
    originals.every(([k, v]) => fitsAsAttribute(k, v) && !Object.hasOwn(own, k));
  let attributes: Record<string, string>;
  if (asIs) {
    attributes = { ...message.attributes, ...own };
  } else {
    const { json, omitted } = fold(message.attributes);
    const onTop = Object.values(Attributes).filter((k) => {
      const v = message.attributes[k];
      return v !== undefined && fitsAsAttribute(k, v);
    });
    attributes = {
      ...Object.fromEntries(onTop.map((k) => [k, message.attributes[k] ?? ''])),
      ...own,
      [DeadLetterAttributes.originalAttributes]: json,
      ...(omitted > 0 ? { [DeadLetterAttributes.originalAttributesOmitted]: String(omitted) } : {}),
    };
  }
  const attributeBytes = Object.entries(attributes).reduce((n, [k, v]) => n + utf8Bytes(k) + utf8Bytes(v), 0);
  // Room for the body, and for the originalDataBytes attribute that says it was cut.
  const room = DEAD_LETTER_BUDGET_BYTES - attributeBytes - 64;
  if (message.data.length <= room) return { data: message.data, attributes };
  return {
    data: message.data.subarray(0, Math.max(0, room)),
    attributes: { ...attributes, [DeadLetterAttributes.originalDataBytes]: String(message.data.length) },
  };
}

/** The last-resort dead letter: no body, no original attributes, a short detail. */
export function minimalDeadLetter(
  message: IncomingMessage,
  reason: RejectReason,
  detail: string,
): OutgoingMessage {
  return {
    data: Buffer.alloc(0),
    attributes: {
      ...ownAttributes(message, reason, detail, MINIMAL_DETAIL_BYTES),
      [DeadLetterAttributes.originalDataBytes]: String(message.data.length),
      [DeadLetterAttributes.minimal]: 'true',
    },
  };
}

function refusedAsInvalid(e: unknown): boolean {
  // INVALID_ARGUMENT from Pub/Sub (the message itself breaks a limit, retrying cannot help), or the
  // client library refusing the message before sending it.
  return e instanceof TypeError || gcpErrorKindOf(e) === 'invalid-argument';
}

/** What a dead-letter publish did. */
export interface DeadLetterResult {
  /** Message id on the dead-letter topic. */
  readonly id: string;
  /** Whether only the minimal dead letter could be published. */
  readonly minimal: boolean;
}

/** Publishes a dead letter for a message; see {@link createDeadLetterPublisher}. */
export type DeadLetterPublisher = (
  message: IncomingMessage,
  reason: RejectReason,
  detail: string,
) => Promise<DeadLetterResult>;

/**
 * Publishes {@link buildDeadLetter}'s dead letter to `topic`; when Pub/Sub refuses it as invalid, the
 * {@link minimalDeadLetter}. Transient failures are thrown as they are (the caller retries later).
 * @throws DeadLetterRefusedError when even the minimal dead letter is refused as invalid.
 */
export function createDeadLetterPublisher(topic: Topic): DeadLetterPublisher {
  return async (message, reason, detail) => {
    try {
      return { id: await topic.publishMessage(buildDeadLetter(message, reason, detail)), minimal: false };
    } catch (e: unknown) {
      if (!refusedAsInvalid(e)) throw e;
    }
    try {
      return { id: await topic.publishMessage(minimalDeadLetter(message, reason, detail)), minimal: true };
    } catch (e: unknown) {
      if (!refusedAsInvalid(e)) throw e;
      throw new DeadLetterRefusedError(`the dead-letter topic refused even a minimal dead letter`, {
        cause: e,
      });
    }
  };
}
