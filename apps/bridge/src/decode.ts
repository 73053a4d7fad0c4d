// Message → typed training run request, or the reason it can never become one. Pure: no I/O.
import {
  TrainingRunRequestSchema,
  TriggerKeyNamespaces,
  triggerWorkflowId,
  type TrainingRunRequest,
  type TriggerKind,
} from '@conveyor/contracts';
import { typeGivenParameters, uriProblem } from '@conveyor/pipeline/spec';
import { getPipeline } from '@conveyor/pipelines';
import {
  declaredOf,
  reject,
  schemaProblems,
  typingRejection,
  type MessageBasics,
  type Rejection,
} from './decode-common.ts';
import { decodeSweep, type DecodedSweep } from './decode-sweep.ts';
import { Attributes, MessageKinds, RejectReasons, type IncomingMessage } from './message.ts';

export type { Rejection } from './decode-common.ts';
export type { DecodedSweep } from './decode-sweep.ts';

/** What {@link decodeMessage} needs besides the message. */
export interface DecodeOptions {
  /** Pipeline of messages without a `pipeline` attribute. */
  readonly defaultPipeline: string;
  /** Largest accepted body. */
  readonly maxMessageBytes: number;
  readonly repoUrl: string;
  /** Branch of messages without a `branch` attribute. */
  readonly defaultBranch: string;
  readonly triggerKind: Extract<TriggerKind, 'pubsub' | 'push'>;
  /**
   * `gs://` prefixes a `spec` attribute may point into (CONVEYOR_SPEC_PREFIXES). A precompiled spec
   * chooses the images and commands a run executes, so the attribute is refused unless operators
   * list where trusted specs live. @default undefined (the attribute is refused)
   */
  readonly specPrefixes?: readonly string[] | undefined;
  /**
   * The emulator (pstest) numbers messages m0, m1, … again after every restart while Temporal keeps
   * its history, so a bare messageId would make a new message look like a duplicate of an old run.
   * When set, keys without a runKey also carry the publish time (the same on every redelivery).
   * Google Cloud's message ids are unique per topic: leave it unset there.
   * @default false
   */
  readonly messageIdsRestart?: boolean;
}

/** A message that can start a run. */
export interface DecodedRun {
  readonly ok: true;
  readonly kind: 'run';
  readonly request: TrainingRunRequest;
  readonly workflowId: string;
}

/** What a valid message starts. */
export type Decoded = DecodedRun | DecodedSweep;

/** Strict UTF-8: a malformed byte rejects the body instead of becoming U+FFFD. */
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Where JSON.parse stopped, from its message; never the message itself, which quotes the body. */
function whereJsonBreaks(e: unknown): string {
  const message = e instanceof Error ? e.message : '';
  const position = /at position (\d+)/.exec(message)?.[1];
  if (position !== undefined) return `at position ${position}`;
  return /end of (JSON )?(input|data)/i.test(message) ? 'unexpected end' : 'malformed';
}

/** Why the bridge will not take `spec`, or undefined. */
function specProblem(spec: string, prefixes: readonly string[] | undefined): string | undefined {
  if (prefixes === undefined || prefixes.length === 0)
    return 'the spec attribute is disabled on this bridge (operators enable it with CONVEYOR_SPEC_PREFIXES)';
  const problem = uriProblem(spec, prefixes);
  return problem === undefined ? undefined : `spec: ${problem}`;
}

/** The body as a JSON object, or why it is not one (size first, then UTF-8, JSON, object). */
function bodyObject(
  message: IncomingMessage,
  maxBytes: number,
): { readonly ok: true; readonly value: Record<string, unknown> } | Rejection {
  if (message.data.length > maxBytes) {
    return reject(RejectReasons.tooLarge, `body is ${message.data.length} bytes; the limit is ${maxBytes}`);
  }
  let text: string;
  try {
    text = utf8.decode(message.data);
  } catch {
    return reject(RejectReasons.notJson, 'body is not valid UTF-8');
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (e: unknown) {
    return reject(RejectReasons.notJson, `body is not JSON (${whereJsonBreaks(e)})`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    const what = body === null ? 'null' : Array.isArray(body) ? 'an array' : `a ${typeof body}`;
    return reject(
      RejectReasons.notObject,
      `body must be a JSON object (hyperparameters, or a sweep with kind=sweep), got ${what}`,
    );
  }
  return { ok: true, value: body as Record<string, unknown> };
}

function basics(
  message: IncomingMessage,
  options: DecodeOptions,
): { readonly ok: true; readonly value: MessageBasics } | Rejection {
  const attrs = message.attributes;
  const rebuild = attrs[Attributes.rebuild];
  if (rebuild !== undefined && rebuild !== '' && rebuild !== 'true' && rebuild !== 'false') {
    return reject(RejectReasons.invalidRequest, 'rebuild: expected true or false');
  }
  const runKey = attrs[Attributes.runKey];
  const value: MessageBasics = {
    pipeline: attrs[Attributes.pipeline] || options.defaultPipeline,
    source: {
      repoUrl: options.repoUrl,
      branch: attrs[Attributes.branch] || options.defaultBranch,
      ...(attrs[Attributes.commit] ? { commit: attrs[Attributes.commit] } : {}),
    },
    trigger: { kind: options.triggerKind, id: message.id, at: message.publishTime.toISOString() },
    rebuild: rebuild === 'true',
    key: runKey
      ? { runKey: true, value: runKey }
      : {
          runKey: false,
          value: options.messageIdsRestart
            ? `${message.id}-${message.publishTime.getTime().toString(36)}`
            : message.id,
        },
  };
  return { ok: true, value };
}

/**
 * Decodes and types one message. Attributes: `pipeline`, `runKey`, `branch`, `commit`, `spec`,
 * `rebuild`, `kind`. With `kind` absent or `run` the body is the run's hyperparameters (a JSON
 * object, numbers or numeric strings); with `kind=sweep` it describes a sweep (decode-sweep.ts).
 */
export function decodeMessage(message: IncomingMessage, options: DecodeOptions): Decoded | Rejection {
  const read = bodyObject(message, options.maxMessageBytes);
  if (!read.ok) return read;
  const body = read.value;
  const kind = message.attributes[Attributes.kind] || MessageKinds.run;
  if (kind !== MessageKinds.run && kind !== MessageKinds.sweep) {
    return reject(RejectReasons.invalidRequest, 'kind: expected run or sweep');
  }
  const got = basics(message, options);
  if (!got.ok) return got;
  const common = got.value;
  const spec = message.attributes[Attributes.spec];
  if (kind === MessageKinds.sweep) {
    if (spec) {
      return reject(
        RejectReasons.specNotAllowed,
        'spec: a sweep builds its image; specs are for single runs',
      );
    }
    return decodeSweep(body, common);
  }
  if (spec) {
    const problem = specProblem(spec, options.specPrefixes);
    if (problem) return reject(RejectReasons.specNotAllowed, problem);
  }
  let parameters;
  try {
    // Only what the message gave, typed: defaults stay the pipeline's.
    parameters = typeGivenParameters(declaredOf(getPipeline(common.pipeline)), body);
  } catch (e: unknown) {
    return typingRejection(e);
  }
  const parsed = TrainingRunRequestSchema.safeParse({
    pipeline: common.pipeline,
    parameters,
    source: common.source,
    ...(spec ? { spec } : {}),
    trigger: common.trigger,
    labels: {},
    rebuild: common.rebuild,
  });
  if (!parsed.success) return reject(RejectReasons.invalidRequest, schemaProblems(parsed.error.issues));
  const namespace = common.key.runKey ? TriggerKeyNamespaces.runKey : TriggerKeyNamespaces.message;
  return {
    ok: true,
    kind: 'run',
    request: parsed.data,
    workflowId: triggerWorkflowId(common.pipeline, namespace, common.key.value),
  };
}
