// `conveyor schedule describe|list` output: stable JSON for scripts, short text for people.
import type { Client, ScheduleDescription, ScheduleSummary } from '@temporalio/client';
import { formatDuration } from '../common/flags.ts';
import { calendarToCron } from './calendar.ts';
import { overlapName, requestOfAction } from './options.ts';

/** One recent action of a schedule with the outcome of its run. */
export interface RecentRun {
  readonly scheduledAt: string;
  readonly takenAt: string;
  /** The run's id (its workflow id: `<schedule id>-<fire time>`). */
  readonly runId: string;
  /** Temporal's id of the execution the schedule started. */
  readonly executionRunId: string;
  /** RUNNING, COMPLETED, FAILED, CANCELLED, TERMINATED, TIMED_OUT, CONTINUED_AS_NEW, or UNKNOWN when gone. */
  readonly status: string;
}

/** `schedule describe -o json`. */
export interface ScheduleView {
  readonly scheduleId: string;
  readonly workflowType: string;
  readonly taskQueue: string | undefined;
  readonly pipeline: string | undefined;
  readonly parameters: Record<string, unknown> | undefined;
  readonly spec: {
    readonly cron: string[];
    readonly intervals: { every: string; offset: string }[];
    readonly timezone: string | undefined;
    readonly startTime: string | undefined;
    readonly endTime: string | undefined;
    readonly jitter: string | undefined;
  };
  /** `temporal`'s name of the overlap policy: Skip, BufferOne, … */
  readonly overlap: string;
  readonly catchupWindow: string;
  readonly pauseOnFailure: boolean;
  readonly paused: boolean;
  readonly notes: string | undefined;
  readonly remainingActions: number | undefined;
  readonly nextRuns: string[];
  readonly recentRuns: RecentRun[];
  readonly actionsTaken: number;
  readonly skippedOverlap: number;
  readonly missedCatchupWindow: number;
}

/** Looks up each recent action's run status (a deleted or expired run shows as UNKNOWN). */
async function recentRuns(client: Client, description: ScheduleDescription): Promise<RecentRun[]> {
  return Promise.all(
    description.info.recentActions.map(async (a) => {
      const { workflowId, firstExecutionRunId } = a.action.workflow;
      let status = 'UNKNOWN';
      try {
        status = (await client.workflow.getHandle(workflowId, firstExecutionRunId).describe()).status.name;
      } catch {
        // Retention removed it, or it never started: UNKNOWN says exactly that.
      }
      return {
        scheduledAt: a.scheduledAt.toISOString(),
        takenAt: a.takenAt.toISOString(),
        runId: workflowId,
        executionRunId: firstExecutionRunId,
        status,
      };
    }),
  );
}

/** The view of one schedule, recent runs resolved. */
export async function scheduleView(client: Client, id: string): Promise<ScheduleView> {
  const d = await client.schedule.getHandle(id).describe();
  const request = requestOfAction(d.action.args);
  return {
    scheduleId: id,
    workflowType: d.action.workflowType,
    taskQueue: d.action.taskQueue,
    pipeline: request?.pipeline,
    parameters: request?.parameters,
    spec: {
      cron: (d.spec.calendars ?? []).map(calendarToCron),
      intervals: (d.spec.intervals ?? []).map((i) => ({
        every: formatDuration(i.every),
        offset: formatDuration(i.offset),
      })),
      timezone: d.spec.timezone || undefined,
      startTime: d.spec.startAt?.toISOString(),
      endTime: d.spec.endAt?.toISOString(),
      jitter: d.spec.jitter ? formatDuration(d.spec.jitter) : undefined,
    },
    overlap: overlapName(d.policies.overlap),
    catchupWindow: formatDuration(d.policies.catchupWindow),
    pauseOnFailure: d.policies.pauseOnFailure,
    paused: d.state.paused,
    notes: d.state.note || undefined,
    remainingActions: d.state.remainingActions,
    nextRuns: d.info.nextActionTimes.map((t) => t.toISOString()),
    recentRuns: await recentRuns(client, d),
    actionsTaken: d.info.numActionsTaken,
    skippedOverlap: d.info.numActionsSkippedOverlap,
    missedCatchupWindow: d.info.numActionsMissedCatchupWindow,
  };
}

/** Human text of {@link ScheduleView}. */
export function renderView(v: ScheduleView): string {
  const when = [
    ...v.spec.cron.map((c) => `cron "${c}"`),
    ...v.spec.intervals.map((i) => `every ${i.every}${i.offset !== '0s' ? ` (offset ${i.offset})` : ''}`),
  ].join(', ');
  const lines = [
    `schedule ${v.scheduleId}${v.paused ? ' (PAUSED)' : ''}`,
    `  runs        ${v.workflowType} on ${v.taskQueue ?? '?'}${v.pipeline ? ` · ${v.pipeline}` : ''}`,
    ...(v.parameters
      ? [
          `  parameters  ${Object.entries(v.parameters)
            .map(([k, x]) => `${k}=${String(x)}`)
            .join(' ')}`,
        ]
      : []),
    `  when        ${when || '(no spec)'}${v.spec.timezone ? ` in ${v.spec.timezone}` : ''}${v.spec.jitter ? `, jitter ${v.spec.jitter}` : ''}`,
    ...(v.spec.startTime || v.spec.endTime
      ? [`  between     ${v.spec.startTime ?? 'now'} and ${v.spec.endTime ?? 'forever'}`]
      : []),
    `  policies    overlap ${v.overlap}, catch-up window ${v.catchupWindow}${v.pauseOnFailure ? ', pause on failure' : ''}`,
    ...(v.notes ? [`  notes       ${v.notes}`] : []),
    ...(v.remainingActions !== undefined && v.remainingActions > 0
      ? [`  remaining   ${v.remainingActions} action(s)`]
      : []),
    `  taken       ${v.actionsTaken} action(s), ${v.skippedOverlap} skipped for overlap, ${v.missedCatchupWindow} missed the catch-up window`,
    `  next runs   ${v.nextRuns.slice(0, 5).join(', ') || '(none)'}`,
    '  recent runs',
    ...(v.recentRuns.length === 0
      ? ['    (none)']
      : v.recentRuns.map((r) => `    ${r.scheduledAt}  ${r.status.padEnd(10)} ${r.runId}`)),
  ];
  return lines.join('\n');
}

/** One row of `schedule list -o json`. */
export interface ScheduleListRow {
  readonly scheduleId: string;
  readonly workflowType: string | undefined;
  readonly paused: boolean;
  readonly notes: string | undefined;
  readonly cron: string[];
  readonly intervals: string[];
  readonly nextRun: string | undefined;
  /** The run id (workflow id) of the latest run it started. */
  readonly lastRun: string | undefined;
}

/** A list row from the list API's summary. */
export function listRow(s: ScheduleSummary): ScheduleListRow {
  const recent = s.info.recentActions.at(-1);
  return {
    scheduleId: s.scheduleId,
    workflowType: s.action?.workflowType,
    paused: s.state.paused,
    notes: s.state.note || undefined,
    cron: (s.spec?.calendars ?? []).map(calendarToCron),
    intervals: (s.spec?.intervals ?? []).map((i) => formatDuration(i.every)),
    nextRun: s.info.nextActionTimes[0]?.toISOString(),
    lastRun: recent?.action.workflow.workflowId,
  };
}

/** Schedules for people, one line each. */
export function renderList(rows: readonly ScheduleListRow[]): string {
  if (rows.length === 0) return '(no schedules)';
  return rows
    .map((r) => {
      const when = [...r.cron, ...r.intervals.map((i) => `every ${i}`)].join(', ');
      return `${r.scheduleId}${r.paused ? ' (paused)' : ''}  ${when}  next ${r.nextRun ?? '-'}`;
    })
    .join('\n');
}
