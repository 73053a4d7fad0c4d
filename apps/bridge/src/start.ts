// The one way the bridge starts work: a run or a sweep, with the conflict and reuse policies that
// make a redelivery find the run it started instead of starting another.
import type { Client, Connection } from '@temporalio/client';
import type { SweepRequest, TrainingRunRequest } from '@conveyor/contracts';
import { startTrainingRun, startTrainingSweep } from '@conveyor/platform';

/** What a trigger asks the bridge to start, under its deterministic workflow id. */
export type Startable =
  | { readonly kind: 'run'; readonly request: TrainingRunRequest; readonly workflowId: string }
  | { readonly kind: 'sweep'; readonly request: SweepRequest; readonly workflowId: string };

/** Options of {@link createStarter}. */
export interface StarterOptions {
  readonly taskQueue: string;
  /** Deadline of one start call, so an unreachable Temporal turns into a retry instead of a hang. */
  readonly startTimeoutMs: number;
}

/**
 * A start function: `workflowIdConflictPolicy: USE_EXISTING` (a running run for the id is returned,
 * not duplicated) and `workflowIdReusePolicy: REJECT_DUPLICATE` (a finished one makes the start
 * throw WorkflowExecutionAlreadyStartedError, which callers count as a duplicate).
 */
export function createStarter(
  client: Client,
  connection: Pick<Connection, 'withDeadline'>,
  options: StarterOptions,
): (work: Startable, timeoutMs?: number) => Promise<unknown> {
  return (work, timeoutMs = options.startTimeoutMs) => {
    const startOptions = {
      workflowId: work.workflowId,
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      taskQueue: options.taskQueue,
    } as const;
    // The deadline bounds the SDK's own gRPC retries as well.
    return connection.withDeadline(Date.now() + timeoutMs, () =>
      work.kind === 'sweep'
        ? startTrainingSweep(client, work.request, startOptions)
        : startTrainingRun(client, work.request, startOptions),
    );
  };
}
