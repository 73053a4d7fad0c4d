// Message → typed training run request, or the reason it can never become one. Pure: no I/O.
import { TrainingRunRequestSchema, type TrainingRunRequest, type TriggerKind } from '@conveyor/contracts';
import { declaredParameters, type Pipeline, type RuntimeParameter } from '@conveyor/pipeline';
import {
  InvalidParametersError,
  listProblems,
  typeGivenParameters,
  uriProblem,
} from '@conveyor/pipeline/spec';
import { getPipeline, UnknownPipelineError } from '@conveyor/pipelines';
import { Attributes, RejectReasons, type IncomingMessage, type RejectReason } from './message.ts';
import { workflowIdFor } from './workflow-id.ts';

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
  readonly request: TrainingRunRequest;
  readonly workflowId: string;
}

/** A message that never can: dead-letter it. */
export interface Rejection {
  readonly ok: false;
  readonly reason: RejectReason;
  /** Human-readable detail, e.g. `num_epochs: expected an integer (NUMBER_INTEGER), got 3.5`. */
  readonly detail: string;
}

function reject(reason: RejectReason, detail: string): Rejection {
  return { ok: false, reason, detail };
}

/** Declarations by pipeline: the registered pipelines never change while the bridge runs. */
const declarations = new WeakMap<Pipeline, RuntimeParameter[]>();

function declaredOf(pipeline: Pipeline): RuntimeParameter[] {
  let declared = declarations.get(pipeline);
  if (declared === undefined) {
    declared = declaredParameters(pipeline);
    declarations.set(pipeline, declared);
  }
  return declared;
}

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

/**
 * Decodes and types one message: body = hyperparameters JSON object (numbers or numeric strings),
 * attributes `pipeline`, `runKey`, `branch`, `commit`, `spec`.
 */
export function decodeMessage(message: IncomingMessage, options: DecodeOptions): DecodedRun | Rejection {
  if (message.data.length > options.maxMessageBytes) {
    return reject(
      RejectReasons.tooLarge,
      `body is ${message.data.length} bytes; the limit is ${options.maxMessageBytes}`,
    );
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
    return reject(RejectReasons.notObject, `body must be a JSON object of hyperparameters, got ${what}`);
  }
  const attrs = message.attributes;
  const spec = attrs[Attributes.spec];
  if (spec) {
    const problem = specProblem(spec, options.specPrefixes);
    if (problem) return reject(RejectReasons.specNotAllowed, problem);
  }
  const pipelineName = attrs[Attributes.pipeline] || options.defaultPipeline;
  let parameters;
  try {
    // Only what the message gave, typed: defaults stay the pipeline's.
    parameters = typeGivenParameters(declaredOf(getPipeline(pipelineName)), body as Record<string, unknown>);
  } catch (e: unknown) {
    if (e instanceof UnknownPipelineError) return reject(RejectReasons.unknownPipeline, e.message);
    if (e instanceof InvalidParametersError) {
      return reject(
        RejectReasons.invalidParameters,
        listProblems(e.issues.map((i) => `${i.parameter}: ${i.message}`)),
      );
    }
    throw e;
  }
  const parsed = TrainingRunRequestSchema.safeParse({
    pipeline: pipelineName,
    parameters,
    source: {
      repoUrl: options.repoUrl,
      branch: attrs[Attributes.branch] || options.defaultBranch,
      ...(attrs[Attributes.commit] ? { commit: attrs[Attributes.commit] } : {}),
    },
    ...(spec ? { spec } : {}),
    trigger: { kind: options.triggerKind, id: message.id, at: message.publishTime.toISOString() },
    labels: {},
  });
  if (!parsed.success) {
    return reject(
      RejectReasons.invalidRequest,
      listProblems(parsed.error.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`)),
    );
  }
  const key =
    attrs[Attributes.runKey] ||
    (options.messageIdsRestart ? `${message.id}-${message.publishTime.getTime().toString(36)}` : message.id);
  return { ok: true, request: parsed.data, workflowId: workflowIdFor(pipelineName, key) };
}
