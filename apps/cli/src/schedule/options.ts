// Pure pieces of `conveyor schedule`: flag parsing, the typed request, the schedule action.
import type { ScheduleOptionsAction, ScheduleOverlapPolicy } from '@temporalio/client';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import {
  MemoKeys,
  SearchAttributes,
  summarizeRun,
  TrainingRunRequestSchema,
  WorkflowTypes,
  type TrainingRunRequest,
} from '@conveyor/contracts';
import { declaredParameters } from '@conveyor/pipeline';
import { typeParameters } from '@conveyor/pipeline/spec';
import { getPipeline } from '@conveyor/pipelines';

/** A flag value the user must fix; main.ts prints the message. */
export class FlagError extends Error {
  override readonly name = 'FlagError';
  /** The flag at fault, e.g. `--every`. */
  readonly flag: string;
  constructor(flag: string, message: string) {
    super(`${flag}: ${message}`);
    this.flag = flag;
  }
}

/** `--overlap` values → Temporal overlap policies. */
export const OVERLAP_FLAGS = {
  skip: 'SKIP',
  'buffer-one': 'BUFFER_ONE',
  'buffer-all': 'BUFFER_ALL',
  'cancel-other': 'CANCEL_OTHER',
  'terminate-other': 'TERMINATE_OTHER',
  'allow-all': 'ALLOW_ALL',
} as const satisfies Record<string, ScheduleOverlapPolicy>;

/** Parses an `--overlap` value. @throws FlagError naming the accepted values. */
export function parseOverlap(value: string, flag = '--overlap'): ScheduleOverlapPolicy {
  const policy = (OVERLAP_FLAGS as Record<string, ScheduleOverlapPolicy>)[value];
  if (policy === undefined)
    throw new FlagError(flag, `'${value}' is not one of ${Object.keys(OVERLAP_FLAGS).join(', ')}`);
  return policy;
}

/** The `--overlap` flag of a policy (for display). */
export function overlapFlag(policy: string | undefined): string {
  const entry = Object.entries(OVERLAP_FLAGS).find(([, p]) => p === policy);
  return entry ? entry[0] : String(policy);
}

const UNITS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses `2s`, `10m`, `1h30m`, `500ms`, `1d` into milliseconds. @throws FlagError */
export function parseDuration(value: string, flag: string): number {
  const parts = [...value.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== value) {
    throw new FlagError(flag, `'${value}' is not a duration like 30s, 10m, 1h30m`);
  }
  return parts.reduce((sum, p) => sum + Number(p[1]) * UNITS[p[2]!]!, 0);
}

/** Human form of milliseconds: 90000 → `1m30s`. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  let rest = ms;
  let out = '';
  for (const [unit, size] of [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1_000],
    ['ms', 1],
  ] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) out += `${n}${unit}`;
    rest -= n * size;
  }
  return out;
}

/** `--param k=v` values → name → raw string. @throws FlagError on a value without `=`. */
export function parseParams(values: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values) {
    const i = v.indexOf('=');
    if (i <= 0) throw new FlagError('--param', `'${v}' is not name=value`);
    out[v.slice(0, i)] = v.slice(i + 1);
  }
  return out;
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
 * `trigger.at` is the time the schedule was written; each run's own fire time is its
 * `TemporalScheduledStartTime` search attribute.
 * @throws UnknownPipelineError, InvalidParametersError, ZodError
 */
export function scheduleRequest(template: RunTemplate, scheduleId: string, now: Date): TrainingRunRequest {
  const typed = typeParameters(declaredParameters(getPipeline(template.pipeline)), template.params);
  // Only what the user gave: defaults stay the pipeline's (the workflow fills them), and the run's
  // summary reads "penguins · num_epochs=3 learning_rate=0.01 · schedule".
  const parameters = Object.fromEntries(Object.keys(template.params).map((k) => [k, typed[k]]));
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

const pipelineKey = defineSearchAttributeKey(SearchAttributes.pipeline, SearchAttributeType.KEYWORD);
const triggerKey = defineSearchAttributeKey(SearchAttributes.trigger, SearchAttributeType.KEYWORD);

/**
 * The schedule action: start `trainingRun` with the request, the memo, search attributes and
 * summary startTrainingRun gives every run. The server appends the fire time to `workflowId`.
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
    memo: { [MemoKeys.request]: request },
    typedSearchAttributes: [
      { key: pipelineKey, value: request.pipeline },
      { key: triggerKey, value: request.trigger.kind },
    ],
    staticSummary: summarizeRun(request),
  };
}

/** Reads the request out of a schedule action's first argument (any schedule: ours or `temporal schedule create`). */
export function requestOfAction(args: readonly unknown[] | undefined): TrainingRunRequest | undefined {
  const parsed = TrainingRunRequestSchema.safeParse(args?.[0]);
  return parsed.success ? parsed.data : undefined;
}
