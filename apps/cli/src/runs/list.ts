// `conveyor runs list`: recent runs with their status, trigger, parameters, key metric and duration.
import type { Client, WorkflowExecutionInfo, WorkflowExecutionStatusName } from '@temporalio/client';
import {
  MemoKeys,
  SearchAttributeKeys,
  WorkflowTypes,
  type TrainingRunRequest,
  type TrainingRunResult,
} from '@conveyor/contracts';
import { registeredPipelines } from '@conveyor/pipelines';
import { FlagError } from '../common/errors.ts';
import { clock, formatTable, pairs } from '../common/table.ts';

/**
 * The statuses `runs list` prints, with the value visibility queries use for each. `--status` takes
 * the printed name (any case).
 */
export const RUN_STATUSES: Readonly<Partial<Record<WorkflowExecutionStatusName, string>>> = {
  RUNNING: 'Running',
  COMPLETED: 'Completed',
  FAILED: 'Failed',
  CANCELLED: 'Canceled',
  TERMINATED: 'Terminated',
  TIMED_OUT: 'TimedOut',
  CONTINUED_AS_NEW: 'ContinuedAsNew',
};

/** A run's key metric: the one its pipeline records in the served model's pointer. */
export interface KeyMetric {
  readonly name: string;
  readonly value: number;
}

/** One row of `runs list` (`-o json` prints an array of these). */
export interface RunRow {
  /** The run's id: its workflow id. */
  readonly runId: string;
  /** Temporal's id of this execution of the workflow. */
  readonly executionRunId: string;
  readonly status: string;
  readonly pipeline: string | undefined;
  readonly trigger: string | undefined;
  readonly commit: string | undefined;
  /** The parameters the trigger gave (the pipeline's defaults fill the rest). */
  readonly parameters: Record<string, unknown>;
  readonly metric: KeyMetric | undefined;
  readonly startTime: string;
  readonly closeTime: string | undefined;
  /** Start to close, or to now while it runs. */
  readonly durationMs: number;
}

/** Filters of `runs list`. */
export interface ListFilter {
  readonly pipeline?: string | undefined;
  readonly status?: string | undefined;
  readonly limit: number;
}

/** The visibility query of a filter. @throws FlagError naming the accepted statuses. */
export function listQuery(filter: Pick<ListFilter, 'pipeline' | 'status'>): string {
  const clauses = [`WorkflowType = '${WorkflowTypes.trainingRun}'`];
  if (filter.pipeline) {
    if (!/^[a-z][a-z0-9-]*$/.test(filter.pipeline))
      throw new FlagError('--pipeline', `'${filter.pipeline}' is not a pipeline name`);
    clauses.push(`${SearchAttributeKeys.pipeline.name} = '${filter.pipeline}'`);
  }
  if (filter.status) {
    const name = filter.status.toUpperCase() as WorkflowExecutionStatusName;
    const value = RUN_STATUSES[name];
    if (!value)
      throw new FlagError(
        '--status',
        `'${filter.status}' is not one of ${Object.keys(RUN_STATUSES).join(', ')}`,
      );
    clauses.push(`ExecutionStatus = '${value}'`);
  }
  return clauses.join(' AND ');
}

/** The metric a pipeline records as its key (`pointerMetric` of its model convention), by name. */
function keyMetricName(pipeline: string | undefined): string {
  const registered = registeredPipelines().find((r) => r.pipeline.name === pipeline);
  return registered?.conventions.model?.pointerMetric ?? 'accuracy';
}

/** At most this many results are fetched at once: one history read each. */
const RESULT_CONCURRENCY = 5;

async function keyMetric(client: Client, info: WorkflowExecutionInfo, pipeline: string | undefined) {
  if (info.status.name !== 'COMPLETED') return undefined;
  try {
    const result = (await client.workflow
      .getHandle(info.workflowId, info.runId)
      .result()) as TrainingRunResult;
    const name = keyMetricName(pipeline);
    const value = result.metrics?.[name];
    return value === undefined ? undefined : { name, value };
  } catch {
    // Its history is gone (retention) or it is not one of ours: no metric to show.
    return undefined;
  }
}

function keyword(
  info: WorkflowExecutionInfo,
  key: (typeof SearchAttributeKeys)[keyof typeof SearchAttributeKeys],
) {
  const value = info.typedSearchAttributes.get(key);
  return typeof value === 'string' ? value : undefined;
}

async function row(client: Client, info: WorkflowExecutionInfo, now: number): Promise<RunRow> {
  const request = info.memo?.[MemoKeys.request] as Partial<TrainingRunRequest> | undefined;
  const pipeline = keyword(info, SearchAttributeKeys.pipeline);
  const end = info.closeTime?.getTime() ?? now;
  return {
    runId: info.workflowId,
    executionRunId: info.runId,
    status: info.status.name,
    pipeline,
    trigger: keyword(info, SearchAttributeKeys.trigger),
    commit: keyword(info, SearchAttributeKeys.commit),
    parameters: request?.parameters ?? {},
    metric: await keyMetric(client, info, pipeline),
    startTime: info.startTime.toISOString(),
    closeTime: info.closeTime?.toISOString(),
    durationMs: Math.max(0, end - info.startTime.getTime()),
  };
}

/** The newest runs matching the filter, newest first. */
export async function listRuns(client: Client, filter: ListFilter): Promise<RunRow[]> {
  const infos: WorkflowExecutionInfo[] = [];
  for await (const info of client.workflow.list({ query: listQuery(filter) })) {
    infos.push(info);
    if (infos.length >= filter.limit) break;
  }
  const now = Date.now();
  const rows: RunRow[] = [];
  for (let i = 0; i < infos.length; i += RESULT_CONCURRENCY)
    rows.push(
      ...(await Promise.all(infos.slice(i, i + RESULT_CONCURRENCY).map((info) => row(client, info, now)))),
    );
  return rows;
}

/** Runs as an aligned table for people. */
export function formatRunTable(rows: readonly RunRow[]): string {
  if (rows.length === 0) return 'no runs';
  return formatTable(
    ['RUN ID', 'STATUS', 'TRIGGER', 'PARAMETERS', 'METRIC', 'DURATION', 'STARTED'],
    rows.map((r) => [
      r.runId,
      r.status,
      r.trigger ?? '',
      pairs(r.parameters, 'defaults'),
      r.metric ? pairs({ [r.metric.name]: r.metric.value }) : '-',
      clock(r.durationMs),
      r.startTime.replace(/\.\d+Z$/, 'Z'),
    ]),
  );
}
