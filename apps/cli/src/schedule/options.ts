// Pure pieces of `conveyor schedule`: overlap policies, the typed request, the schedule action.
import type { ScheduleOptionsAction, ScheduleOverlapPolicy } from '@temporalio/client';
import {
  runVisibility,
  TrainingRunRequestSchema,
  WorkflowTypes,
  type TrainingRunRequest,
} from '@conveyor/contracts';
import { declaredParameters } from '@conveyor/pipeline';
import { typeGivenParameters } from '@conveyor/pipeline/spec';
import { getPipeline } from '@conveyor/pipelines';
import { FlagError } from '../common/errors.ts';

/** Overlap policies by the names `temporal schedule --overlap-policy` takes. */
export const OVERLAP_POLICIES = {
  Skip: 'SKIP',
  BufferOne: 'BUFFER_ONE',
  BufferAll: 'BUFFER_ALL',
  CancelOther: 'CANCEL_OTHER',
  TerminateOther: 'TERMINATE_OTHER',
  AllowAll: 'ALLOW_ALL',
} as const satisfies Record<string, ScheduleOverlapPolicy>;

const squash = (s: string) => s.replace(/[-_\s]/g, '').toLowerCase();

/**
 * Parses an overlap policy: `temporal`'s names (`Skip`, `BufferOne`, …) in any case, and the older
 * kebab-case ones (`buffer-one`) as aliases.
 * @throws FlagError naming the accepted values.
 */
export function parseOverlap(value: string, flag = '--overlap-policy'): ScheduleOverlapPolicy {
  const entry = Object.entries(OVERLAP_POLICIES).find(([name]) => squash(name) === squash(value));
  if (!entry)
    throw new FlagError(flag, `'${value}' is not one of ${Object.keys(OVERLAP_POLICIES).join(', ')}`);
  return entry[1];
}

/** The `temporal` name of a policy (for display): `BUFFER_ONE` → `BufferOne`. */
export function overlapName(policy: string | undefined): string {
  const entry = Object.entries(OVERLAP_POLICIES).find(([, p]) => p === policy);
  return entry ? entry[0] : String(policy);
}

/** What a schedule's runs are made of. */
export interface RunTemplate {
  readonly pipeline: string;
  readonly params: Readonly<Record<string, string>>;
  readonly repoUrl: string;
  readonly branch: string;
  readonly commit?: string | undefined;
  readonly spec?: string | undefined;
}

/**
 * The request every run of schedule `scheduleId` starts with, parameters typed now (create time).
 * Only the given parameters are stored: the run applies the pipeline's defaults when it fires.
 * `trigger.at` is the time the schedule was written; each run's own fire time is its
 * `TemporalScheduledStartTime` search attribute.
 * @throws UnknownPipelineError, InvalidParametersError, ZodError
 */
export function scheduleRequest(template: RunTemplate, scheduleId: string, now: Date): TrainingRunRequest {
  const parameters = template.spec
    ? template.params
    : typeGivenParameters(declaredParameters(getPipeline(template.pipeline)), template.params);
  return TrainingRunRequestSchema.parse({
    pipeline: template.pipeline,
    parameters,
    source: {
      repoUrl: template.repoUrl,
      branch: template.branch,
      ...(template.commit ? { commit: template.commit } : {}),
    },
    ...(template.spec ? { spec: template.spec } : {}),
    trigger: { kind: 'schedule', id: scheduleId, at: now.toISOString() },
    labels: {},
  });
}

/**
 * The schedule action: start `trainingRun` with the request and the memo, search attributes and
 * summary every run carries (`runVisibility`). The server appends the fire time to `workflowId`.
 */
export function trainingRunAction(
  request: TrainingRunRequest,
  scheduleId: string,
  taskQueue: string,
): ScheduleOptionsAction {
  return {
    type: 'startWorkflow',
    workflowType: WorkflowTypes.trainingRun,
    workflowId: scheduleId,
    taskQueue,
    args: [request],
    ...runVisibility(request),
  };
}

/** Reads the request out of a schedule action's first argument (any schedule: ours or `temporal schedule create`). */
export function requestOfAction(args: readonly unknown[] | undefined): TrainingRunRequest | undefined {
  const parsed = TrainingRunRequestSchema.safeParse(args?.[0]);
  return parsed.success ? parsed.data : undefined;
}
