// The messages of one soak, decided up front from a seed (pure): valid ones with a run key of their
// own, valid ones keyed by their message id, repeats of an earlier run key, and invalid ones of every
// kind the bridge dead-letters, each with the reason it must be dead-lettered for.
import { seededRandom } from '@conveyor/contracts';

/** What a planned message is for. */
export type MessageKind = 'keyed' | 'unkeyed' | 'repeat' | 'invalid';

/** One message to publish, and what the soak expects of it. */
export interface PlannedMessage {
  readonly index: number;
  readonly kind: MessageKind;
  readonly data: Buffer;
  readonly attributes: Readonly<Record<string, string>>;
  /**
   * The run key it must map to: its `runKey` attribute (keyed, repeat), or undefined (unkeyed: the
   * bridge keys it by message id; invalid: no run at all).
   */
  readonly runKey?: string | undefined;
  /** Invalid messages: the dead-letter `reason` the bridge must give. */
  readonly expectedReason?: string | undefined;
}

/** Shares of the messages: the 10 % repeated keys, 10 % invalid, the rest valid half and half. */
export const SHARES = { repeat: 0.1, invalid: 0.1 } as const;

const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));

/**
 * The invalid shapes, one per dead-letter reason the bridge gives (see apps/bridge/README.md), each
 * refused before anything starts: out of bounds, an operator setting, not JSON, not UTF-8, not an
 * object, an unknown pipeline, a spec the bridge does not take, a commit that is no SHA.
 */
const INVALID: readonly { reason: string; data: Buffer; attributes?: Record<string, string> }[] = [
  { reason: 'invalid-parameters', data: json({ num_epochs: 1e9 }) },
  { reason: 'invalid-parameters', data: json({ num_epochs: '-3' }) },
  { reason: 'invalid-parameters', data: json({ serving_root: 'gs://elsewhere/models' }) },
  { reason: 'not-json', data: Buffer.from('{"num_epochs": 3') },
  { reason: 'not-json', data: Buffer.from([0xff, 0xfe, 0x7b]) },
  { reason: 'not-object', data: json([3, 0.01]) },
  { reason: 'unknown-pipeline', data: json({ num_epochs: 2 }), attributes: { pipeline: 'no-such-pipeline' } },
  { reason: 'spec-not-allowed', data: json({ num_epochs: 2 }), attributes: { spec: 'gs://any/spec.json' } },
  { reason: 'invalid-request', data: json({ num_epochs: 2 }), attributes: { commit: 'not-a-sha' } },
];

/** Valid hyperparameters in both shapes a message may use (numbers, numeric strings). */
function validBody(i: number): Buffer {
  const epochs = 1 + (i % 3);
  return i % 2 === 0
    ? json({ num_epochs: epochs, learning_rate: 0.01, seed: i })
    : json({ num_epochs: String(epochs), learning_rate: '1e-2' });
}

/**
 * Plans `count` messages. Kinds are shuffled by `seed`; the first message is always keyed so every
 * repeat has an earlier key to repeat (chosen at random among the keys published before it, so some
 * repeats arrive while that run is running and some after it ended). Run keys carry `tag`, so they
 * never meet another soak's.
 */
export function planMessages(count: number, seed: number, tag: string): PlannedMessage[] {
  const random = seededRandom(seed);
  const repeats = Math.round(count * SHARES.repeat);
  const invalid = Math.round(count * SHARES.invalid);
  const valid = count - repeats - invalid;
  const kinds: MessageKind[] = [
    ...Array<MessageKind>(Math.ceil(valid / 2)).fill('keyed'),
    ...Array<MessageKind>(Math.floor(valid / 2)).fill('unkeyed'),
    ...Array<MessageKind>(repeats).fill('repeat'),
    ...Array<MessageKind>(invalid).fill('invalid'),
  ];
  for (let i = kinds.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [kinds[i], kinds[j]] = [kinds[j]!, kinds[i]!];
  }
  const firstKeyed = kinds.indexOf('keyed');
  if (firstKeyed > 0) [kinds[0], kinds[firstKeyed]] = [kinds[firstKeyed]!, kinds[0]!];

  const planned: PlannedMessage[] = [];
  const keyed: PlannedMessage[] = [];
  let invalidSeen = 0;
  kinds.forEach((kind, index) => {
    if (kind === 'keyed' || (kind === 'repeat' && keyed.length === 0)) {
      const message = {
        index,
        kind: 'keyed' as const,
        data: validBody(index),
        attributes: { runKey: `${tag}-k${index}` },
        runKey: `${tag}-k${index}`,
      };
      keyed.push(message);
      planned.push(message);
    } else if (kind === 'repeat') {
      // A publisher's retry: the same key and the same body.
      const original = keyed[Math.floor(random() * keyed.length)]!;
      planned.push({ ...original, index, kind: 'repeat' });
    } else if (kind === 'unkeyed') {
      planned.push({ index, kind, data: validBody(index), attributes: {} });
    } else {
      const shape = INVALID[invalidSeen++ % INVALID.length]!;
      planned.push({
        index,
        kind,
        data: shape.data,
        attributes: shape.attributes ?? {},
        expectedReason: shape.reason,
      });
    }
  });
  return planned;
}
