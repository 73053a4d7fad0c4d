// The decoder's fuzz model (fast-check): messages of every shape a publisher can send, each with the
// decision the bridge must take, and `judge`, which runs the decoder and says whether it crashed or
// decided wrongly. Test support, not bridge code: src/decode.fuzz.spec.ts runs it in `npm test`,
// bench/src/fuzz.ts for longer (`@conveyor/bridge/fuzz`).
import fc from 'fast-check';
import { buildDeadLetter, limitProblems } from './dead-letter.ts';
import { decodeMessage, type DecodeOptions, type Decoded, type Rejection } from './decode.ts';
import { expectedForObject, OPERATOR_SETTINGS, RUN_PARAMETERS } from './fuzz-oracle.ts';
import { Attributes, RejectReasons, type IncomingMessage, type RejectReason } from './message.ts';
import { utf8Bytes } from './utf8.ts';
import { messageOf } from '@conveyor/contracts';

/** The decoder options the model assumes: penguins by default, no spec attribute, 4 KiB bodies. */
export const FUZZ_OPTIONS: DecodeOptions = {
  defaultPipeline: 'penguins',
  // Small, so "too large" is cheap to generate; the rule is the same at 64 KiB.
  maxMessageBytes: 4096,
  repoUrl: '/repo',
  defaultBranch: 'main',
  triggerKind: 'pubsub',
};

/** Longest detail a rejection may carry: 20 problems of a few hundred bytes each. */
const MAX_DETAIL_BYTES = 16 * 1024;

/** A generated message and what the bridge must do with it. */
export interface FuzzCase {
  readonly message: IncomingMessage;
  /** `started` (with exactly these parameters) or the reason of the dead letter. */
  readonly expect:
    | { readonly decision: 'started'; readonly parameters: Readonly<Record<string, number>> }
    | { readonly decision: RejectReason };
}

/** What `judge` found: the decision taken, and a crash or a wrong decision if there was one. */
export interface Verdict {
  readonly decision: string;
  readonly crash?: string;
  readonly wrong?: string;
}

type Entries = [string, unknown][];

const bridgeNames: readonly string[] = Object.values(Attributes);

/** Attribute names the decoder ignores, in any Unicode. */
const noiseName = fc
  .string({ unit: 'binary', minLength: 1, maxLength: 12 })
  .filter((k) => !bridgeNames.includes(k));

/**
 * Attributes the decoder ignores: usually a few of any Unicode; sometimes 90–110 values of 1,024 bytes
 * in 512 two-byte characters, past Pub/Sub's 100 (push callers can send anything).
 */
const noise = fc.oneof(
  {
    weight: 9,
    arbitrary: fc.dictionary(noiseName, fc.string({ unit: 'binary', maxLength: 300 }), { maxKeys: 8 }),
  },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 90, max: 110 })
      .map((n) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`n${i}`, 'ü'.repeat(512)]))),
  },
);

/** A run parameter's value: in bounds or not, as a number or any of the strings a message may use. */
function runValue(name: string): fc.Arbitrary<unknown> {
  const p = RUN_PARAMETERS[name];
  if (p === undefined) throw new Error(`no run parameter ${name}`);
  const inBounds = p.integer
    ? fc.integer({ min: p.min, max: p.max })
    : fc.double({ min: Number.MIN_VALUE, max: p.max, noNaN: true });
  const near = fc.oneof(
    inBounds,
    fc.constantFrom(p.min, p.max, p.max + 1, p.min - 1, 0, -1, 1e9, 2 ** 53, 3.5, 1e-9),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
  );
  const text = (n: number) =>
    fc.constantFrom(String(n), ` ${n}\t`, n.toExponential(), n.toPrecision(17), `+${n}`, `${n}.0`);
  const odd = fc.constantFrom('', 'abc', '0x10', 'NaN', 'Infinity', '1e999', null, true, [], {}, '٣');
  return fc.oneof({ weight: 4, arbitrary: near }, { weight: 3, arbitrary: near.chain(text) }, odd);
}

/** Object entries: mostly run parameters, sometimes operator settings or unknown names. */
const entries: fc.Arbitrary<Entries> = fc.array(
  fc.oneof(
    {
      weight: 6,
      arbitrary: fc
        .constantFrom(...Object.keys(RUN_PARAMETERS))
        .chain((n) => fc.tuple(fc.constant(n), runValue(n))),
    },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...OPERATOR_SETTINGS), fc.jsonValue({ maxDepth: 1 })) },
    {
      weight: 1,
      arbitrary: fc.tuple(fc.string({ unit: 'binary', maxLength: 20 }), fc.jsonValue({ maxDepth: 2 })),
    },
  ),
  { maxLength: 6 },
);

/** `{"k": v, …}` written by hand, so names such as `__proto__` stay plain keys. */
function objectText(list: Entries): string {
  return `{${list.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v) ?? 'null'}`).join(',')}}`;
}

const message = (data: Buffer, attributes: Record<string, string>, id: string): IncomingMessage => ({
  id,
  data,
  attributes,
  publishTime: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)),
});

const ids = fc.string({ unit: 'binary', minLength: 1, maxLength: 40 });
const runKey = fc.option(fc.string({ unit: 'binary', minLength: 1, maxLength: 300 }), { nil: undefined });

/** A hyperparameter object; the oracle says what must happen (size first, as the bridge checks it). */
const objectCase: fc.Arbitrary<FuzzCase> = fc
  .tuple(entries, noise, ids, runKey)
  .map(([list, attrs, id, key]) => {
    const data = Buffer.from(objectText(list));
    const attributes = key === undefined ? attrs : { ...attrs, runKey: key };
    if (data.length > FUZZ_OPTIONS.maxMessageBytes)
      return { message: message(data, attributes, id), expect: { decision: RejectReasons.tooLarge } };
    // The object as JSON.parse sees it (duplicate names: the last wins; -0 written as 0).
    const judged = expectedForObject(Object.entries(JSON.parse(data.toString()) as Record<string, unknown>));
    return {
      message: message(data, attributes, id),
      expect: judged.start
        ? { decision: 'started', parameters: judged.parameters }
        : { decision: RejectReasons.invalidParameters },
    };
  });

/** The ways `brokenCase` breaks a valid message. */
const BREAKS = [
  'cut',
  'bad-byte',
  'too-large',
  'pipeline',
  'spec',
  'commit',
  'not-object',
  'kind',
  'rebuild',
] as const;

/** A valid message broken one way, with the reason that breaking must produce. */
const brokenCase: fc.Arbitrary<FuzzCase> = fc
  .tuple(
    fc.constantFrom(...BREAKS),
    noise,
    ids,
    fc.nat(),
    fc.constantFrom(0xff, 0x80, 0xc0, 0xed),
    fc.jsonValue({ maxDepth: 2 }).filter((j) => typeof j !== 'object' || j === null || Array.isArray(j)),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }),
  )
  .map(([how, attrs, id, at, byte, json, text]): FuzzCase => {
    const valid = Buffer.from('{"num_epochs": 3, "learning_rate": 0.01}');
    const broken = (data: Buffer, decision: RejectReason, extra: Record<string, string> = {}): FuzzCase => ({
      message: message(data, { ...attrs, ...extra }, id),
      expect: { decision },
    });
    switch (how) {
      case 'cut': // every proper prefix of an object is unfinished JSON
        return broken(valid.subarray(0, at % valid.length), RejectReasons.notJson);
      case 'bad-byte': // a byte that cannot appear in UTF-8 there
        return broken(
          Buffer.concat([valid.subarray(0, 18), Buffer.from([byte]), valid.subarray(18)]),
          RejectReasons.notJson,
        );
      case 'too-large':
        return broken(
          Buffer.alloc(FUZZ_OPTIONS.maxMessageBytes + 1 + (at % 512), 0x20),
          RejectReasons.tooLarge,
        );
      case 'pipeline':
        return broken(valid, RejectReasons.unknownPipeline, { pipeline: `x${text}` });
      case 'spec':
        return broken(valid, RejectReasons.specNotAllowed, { spec: `gs://conveyor-local-conveyor/${text}` });
      case 'commit':
        return broken(valid, RejectReasons.invalidRequest, { commit: `z${text}` });
      case 'kind': // neither run nor sweep
        return broken(valid, RejectReasons.invalidRequest, { kind: `x${text}` });
      case 'rebuild': // neither true nor false
        return broken(valid, RejectReasons.invalidRequest, { rebuild: `x${text}` });
      case 'not-object': {
        const data = Buffer.from(JSON.stringify(json) ?? 'null');
        return broken(
          data,
          data.length > FUZZ_OPTIONS.maxMessageBytes ? RejectReasons.tooLarge : RejectReasons.notObject,
        );
      }
    }
  });

/** Every kind of message: hyperparameter objects (3 in 4) and broken ones. */
export function fuzzCase(): fc.Arbitrary<FuzzCase> {
  return fc.oneof({ weight: 3, arbitrary: objectCase }, { weight: 1, arbitrary: brokenCase });
}

function wrongStart(c: FuzzCase, run: Decoded): string | undefined {
  if (c.expect.decision !== 'started') return `started a ${run.kind}; expected ${c.expect.decision}`;
  if (run.kind !== 'run') return `started a ${run.kind}; expected a run`;
  const got = run.request.parameters;
  const want = c.expect.parameters;
  const keys = [...new Set([...Object.keys(got), ...Object.keys(want)])];
  const off = keys.find((k) => !Object.is(got[k], want[k]));
  if (off !== undefined) return `parameter ${off}: got ${String(got[off])}, expected ${String(want[off])}`;
  // Run keys and message ids in their own namespaces, within Temporal's limits.
  const namespace = c.message.attributes['runKey'] ? 'penguins-key-' : 'penguins-msg-';
  if (!run.workflowId.startsWith(namespace) || run.workflowId.length > 255)
    return `workflow id ${run.workflowId}`;
  if (run.request.spec !== undefined || run.request.trigger.id !== c.message.id)
    return 'request does not match the message';
  return undefined;
}

function wrongRejection(c: FuzzCase, r: Rejection): string | undefined {
  if (c.expect.decision !== r.reason)
    return `${r.reason} (${r.detail.slice(0, 200)}); expected ${c.expect.decision}`;
  if (r.detail === '' || utf8Bytes(r.detail) > MAX_DETAIL_BYTES)
    return `detail of ${utf8Bytes(r.detail)} bytes`;
  const problems = limitProblems(buildDeadLetter(c.message, r.reason, r.detail));
  return problems.length > 0 ? `dead letter over Pub/Sub's limits: ${problems.join('; ')}` : undefined;
}

/** Runs `decode` on the case and compares with what must happen; never throws. */
export function judge(c: FuzzCase, decode: typeof decodeMessage = decodeMessage): Verdict {
  let r: Decoded | Rejection;
  try {
    r = decode(c.message, FUZZ_OPTIONS);
  } catch (e: unknown) {
    return { decision: 'crash', crash: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
  }
  try {
    const wrong = r.ok ? wrongStart(c, r) : wrongRejection(c, r);
    return { decision: r.ok ? 'started' : r.reason, ...(wrong === undefined ? {} : { wrong }) };
  } catch (e: unknown) {
    return { decision: 'crash', crash: `while checking: ${messageOf(e)}` };
  }
}

/** The decoder under test, for runners that wrap it (bench/src/fuzz.spec.ts). */
export { decodeMessage };
