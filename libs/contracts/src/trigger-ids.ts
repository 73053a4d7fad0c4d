/**
 * Workflow ids of triggered work: the business key a trigger gives (a run key, a message id, a
 * webhook delivery id), in a namespace of its own, so two different triggers never share an id.
 * Pure code.
 */
import { hashOf } from './ids.ts';

/**
 * Where a trigger's key lives. A run key (the `runKey` attribute, chosen by the publisher) and a
 * Pub/Sub message id are different things that may be spelled alike (`runKey=123` and message 123),
 * so each has its own prefix; sweeps have their own, since a sweep and a run must never share an id
 * (a start with USE_EXISTING would attach one to the other).
 */
export const TriggerKeyNamespaces = {
  /** `runKey` attribute of a run message. */
  runKey: 'key',
  /** Pub/Sub message id of a run message without a runKey. */
  message: 'msg',
  /** `X-GitHub-Delivery` of a push webhook. */
  delivery: 'git',
  /** `runKey` attribute of a sweep message. */
  sweepKey: 'sweep-key',
  /** Pub/Sub message id of a sweep message without a runKey. */
  sweepMessage: 'sweep-msg',
} as const;

/** One of {@link TriggerKeyNamespaces}. */
export type TriggerKeyNamespace = (typeof TriggerKeyNamespaces)[keyof typeof TriggerKeyNamespaces];

/** Longest id produced: the server allows 1,000 bytes by default; ids stay readable well below. */
export const MAX_TRIGGER_ID_LENGTH = 200;

/** A 64-bit hash suffix: `-` and 16 hex digits. */
const HASH_SUFFIX = /-[0-9a-f]{16}$/;

/**
 * `<pipeline>-<namespace>-<key>`, e.g. `penguins-key-nightly-2026-01-02`, `penguins-msg-1234`,
 * `penguins-git-72d3162e-cc78-11e3-81ab-4c9367dc0958`.
 *
 * A key is kept as it is when it is made of `[A-Za-z0-9._:@-]`, fits, and does not itself end like a
 * hash suffix. Otherwise it is rewritten: other characters become `-`, the id is cut to fit, and 64
 * bits of SHA-256 of (pipeline, namespace, key) are appended. A kept id never ends like a hash
 * suffix and a rewritten one always does, so the two kinds never meet, and two rewritten ids
 * meet only if their 64-bit hashes do (about one chance in 5 billion after 10⁵ ids). Pipelines
 * are registered names, and none is another's name followed by one of the namespaces.
 * Deterministic: a redelivery maps to the same id.
 */
export function triggerWorkflowId(pipeline: string, namespace: TriggerKeyNamespace, key: string): string {
  const clean = key.replace(/[^A-Za-z0-9._:@-]+/g, '-');
  const id = `${pipeline}-${namespace}-${clean}`;
  if (clean === key && id.length <= MAX_TRIGGER_ID_LENGTH && !HASH_SUFFIX.test(id)) return id;
  const hash = hashOf([pipeline, namespace, key]);
  return `${id.slice(0, MAX_TRIGGER_ID_LENGTH - hash.length - 1)}-${hash}`;
}
