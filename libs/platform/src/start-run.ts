import type { Client, WorkflowHandleWithFirstExecutionRunId, WorkflowStartOptions } from '@temporalio/client';
import {
  runVisibility,
  SweepRequestSchema,
  sweepVisibility,
  TaskQueues,
  TrainingRunRequestSchema,
  WorkflowTypes,
  type SweepRequestInput,
  type TrainingRunRequest,
  type TrainingRunRequestInput,
} from '@conveyor/contracts';

/** Options of {@link startTrainingRun} and {@link startTrainingSweep}. */
export interface StartTrainingRunOptions {
  /** The run's business key, e.g. `penguins-<messageId>`. */
  readonly workflowId: string;
  /** Passed through: the bridge uses USE_EXISTING to make redelivery a no-op. */
  readonly workflowIdConflictPolicy?: WorkflowStartOptions['workflowIdConflictPolicy'];
  readonly workflowIdReusePolicy?: WorkflowStartOptions['workflowIdReusePolicy'];
  /** @default TaskQueues.training */
  readonly taskQueue?: string;
}

/**
 * Starts `trainingRun` the way every trigger must: request validated, memo holding the request,
 * search attributes `ConveyorPipeline` / `ConveyorTrigger`, and the one-line Web UI summary.
 * @throws ZodError when the request is malformed; WorkflowExecutionAlreadyStartedError on duplicates.
 */
export async function startTrainingRun(
  client: Client,
  input: TrainingRunRequestInput,
  options: StartTrainingRunOptions,
): Promise<WorkflowHandleWithFirstExecutionRunId> {
  const request: TrainingRunRequest = TrainingRunRequestSchema.parse(input);
  return client.workflow.start(WorkflowTypes.trainingRun, {
    args: [request],
    taskQueue: options.taskQueue ?? TaskQueues.training,
    workflowId: options.workflowId,
    workflowIdConflictPolicy: options.workflowIdConflictPolicy,
    workflowIdReusePolicy: options.workflowIdReusePolicy,
    ...runVisibility(request),
  });
}

/**
 * Starts `trainingSweep`: request validated, memo, search attributes (`ConveyorSweep` = its id, so
 * the sweep and its trials are found together) and summary.
 * @throws ZodError when the request is malformed; WorkflowExecutionAlreadyStartedError on duplicates.
 */
export async function startTrainingSweep(
  client: Client,
  input: SweepRequestInput,
  options: StartTrainingRunOptions,
): Promise<WorkflowHandleWithFirstExecutionRunId> {
  const request = SweepRequestSchema.parse(input);
  return client.workflow.start(WorkflowTypes.trainingSweep, {
    args: [request],
    taskQueue: options.taskQueue ?? TaskQueues.training,
    workflowId: options.workflowId,
    workflowIdConflictPolicy: options.workflowIdConflictPolicy,
    workflowIdReusePolicy: options.workflowIdReusePolicy,
    ...sweepVisibility(request, options.workflowId),
  });
}
