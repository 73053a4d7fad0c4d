// What the run and sweep decoders share: rejections, declarations, the basics of every message.
import type { TriggerKind } from '@conveyor/contracts';
import { declaredParameters, type Pipeline, type RuntimeParameter } from '@conveyor/pipeline';
import { InvalidParametersError, listProblems } from '@conveyor/pipeline/spec';
import { UnknownPipelineError } from '@conveyor/pipelines';
import { RejectReasons, type RejectReason } from './message.ts';

/** A message that never can: dead-letter it. */
export interface Rejection {
  readonly ok: false;
  readonly reason: RejectReason;
  /** Human-readable detail, e.g. `num_epochs: expected an integer (NUMBER_INTEGER), got 3.5`. */
  readonly detail: string;
}

/** Builds a rejection. */
export function reject(reason: RejectReason, detail: string): Rejection {
  return { ok: false, reason, detail };
}

/** Declarations by pipeline: the registered pipelines never change while the bridge runs. */
const declarations = new WeakMap<Pipeline, RuntimeParameter[]>();

/** The pipeline's declared runtime parameters (cached). */
export function declaredOf(pipeline: Pipeline): RuntimeParameter[] {
  let declared = declarations.get(pipeline);
  if (declared === undefined) {
    declared = declaredParameters(pipeline);
    declarations.set(pipeline, declared);
  }
  return declared;
}

/** What every message kind shares: pipeline, source, trigger, rebuild, the key of its workflow id. */
export interface MessageBasics {
  readonly pipeline: string;
  readonly source: { repoUrl: string; branch: string; commit?: string };
  readonly trigger: { kind: Extract<TriggerKind, 'pubsub' | 'push'>; id: string; at: string };
  readonly rebuild: boolean;
  /** The runKey attribute, or the message id (with the publish time against the emulator). */
  readonly key: { readonly runKey: boolean; readonly value: string };
}

/** Schema problems as a dead-letter detail: `path: message`, at most the first 20 and a count. */
export function schemaProblems(issues: readonly { path: PropertyKey[]; message: string }[]): string {
  return listProblems(issues.map((i) => `${i.path.map(String).join('.') || 'request'}: ${i.message}`));
}

/** An unknown pipeline or parameters the typing function refused, as a rejection; rethrows the rest. */
export function typingRejection(e: unknown): Rejection {
  if (e instanceof UnknownPipelineError) return reject(RejectReasons.unknownPipeline, e.message);
  if (e instanceof InvalidParametersError) {
    return reject(
      RejectReasons.invalidParameters,
      listProblems(e.issues.map((i) => `${i.parameter}: ${i.message}`)),
    );
  }
  throw e;
}
