// The schedule the schedule benchmarks create: `trainingRun` with Conveyor's memo, search attributes
// and summary, every firing run (overlap AllowAll), a fixed number of firings.
import { ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import { runVisibility, TrainingRunRequestSchema, WorkflowTypes } from '@conveyor/contracts';

/** What {@link createRunSchedule} needs. */
export interface RunScheduleOptions {
  readonly scheduleId: string;
  readonly taskQueue: string;
  /** Interval, e.g. `1s`. */
  readonly every: string;
  readonly firings: number;
  readonly parameters: Record<string, unknown>;
  readonly source: { readonly repoUrl: string; readonly branch: string };
}

/** Creates the schedule; its runs carry `TemporalScheduledById` = the schedule id. */
export async function createRunSchedule(client: Client, o: RunScheduleOptions): Promise<void> {
  const request = TrainingRunRequestSchema.parse({
    pipeline: 'penguins',
    parameters: o.parameters,
    source: o.source,
    trigger: { kind: 'schedule', id: o.scheduleId, at: new Date().toISOString() },
  });
  const visibility = runVisibility(request);
  await client.schedule.create({
    scheduleId: o.scheduleId,
    spec: { intervals: [{ every: o.every as `${number}s` }] },
    action: {
      type: 'startWorkflow',
      workflowType: WorkflowTypes.trainingRun,
      workflowId: o.scheduleId,
      taskQueue: o.taskQueue,
      args: [request],
      memo: visibility.memo,
      typedSearchAttributes: visibility.typedSearchAttributes,
      staticSummary: visibility.staticSummary,
    },
    // Every firing runs: SKIP would drop firings while an earlier run is still going.
    policies: { overlap: ScheduleOverlapPolicy.ALLOW_ALL, catchupWindow: '1 minute' },
    state: { remainingActions: o.firings },
  });
}
