// `kind=sweep` messages: the body describes a hyperparameter sweep → a validated sweep request, or
// the reason it can never become one. Pure: no I/O.
import {
  SweepRequestSchema,
  sweepTrials,
  TriggerKeyNamespaces,
  triggerWorkflowId,
  type SweepRequest,
} from '@conveyor/contracts';
import { listProblems, typeGivenParameters, typeTrials } from '@conveyor/pipeline/spec';
import { getPipeline } from '@conveyor/pipelines';
import {
  declaredOf,
  reject,
  schemaProblems,
  typingRejection,
  type MessageBasics,
  type Rejection,
} from './decode-common.ts';
import { RejectReasons } from './message.ts';

/** A message that can start a sweep (`kind=sweep`). */
export interface DecodedSweep {
  readonly ok: true;
  readonly kind: 'sweep';
  readonly request: SweepRequest;
  readonly workflowId: string;
}

/** The fields a sweep body may have; anything else is named as unknown rather than ignored. */
const SWEEP_FIELDS = ['grid', 'parameters', 'random', 'parallel', 'metric', 'goal'] as const;

/**
 * Decodes a sweep body `{"grid": {...}, "parameters"?: {...}, "random"?: {count, seed},
 * "parallel"?: K, "metric"?: "...", "goal"?: "max"|"min"}`: validated by `SweepRequestSchema`, then
 * every trial the sweep would run (shared and swept values together) typed by the one typing
 * function, so a bad value is refused here, naming its trial and parameter, before any build.
 */
export function decodeSweep(body: Record<string, unknown>, common: MessageBasics): DecodedSweep | Rejection {
  const unknown = Object.keys(body).filter((k) => !(SWEEP_FIELDS as readonly string[]).includes(k));
  if (unknown.length > 0) {
    return reject(
      RejectReasons.invalidRequest,
      listProblems(unknown.map((k) => `${k}: not a sweep field (expected ${SWEEP_FIELDS.join(', ')})`)),
    );
  }
  const parsed = SweepRequestSchema.safeParse({
    pipeline: common.pipeline,
    source: common.source,
    trigger: common.trigger,
    rebuild: common.rebuild,
    labels: {},
    ...Object.fromEntries(SWEEP_FIELDS.map((k) => [k, body[k]])),
  });
  if (!parsed.success) return reject(RejectReasons.invalidRequest, schemaProblems(parsed.error.issues));
  const request = parsed.data;
  let declared;
  try {
    declared = declaredOf(getPipeline(request.pipeline));
  } catch (e: unknown) {
    return typingRejection(e);
  }
  const { problems } = typeTrials(
    (given) => typeGivenParameters(declared, given),
    request.parameters,
    sweepTrials(request.grid, request.random),
  );
  if (problems.length > 0) return reject(RejectReasons.invalidParameters, listProblems(problems));
  const namespace = common.key.runKey ? TriggerKeyNamespaces.sweepKey : TriggerKeyNamespaces.sweepMessage;
  return {
    ok: true,
    kind: 'sweep',
    request,
    workflowId: triggerWorkflowId(request.pipeline, namespace, common.key.value),
  };
}
