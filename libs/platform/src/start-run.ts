import type { Client, WorkflowHandleWithFirstExecutionRunId, WorkflowStartOptions } from '@temporalio/client';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import {
  MemoKeys,
  SearchAttributes,
  summarizeRun,
  TaskQueues,
  TrainingRunRequestSchema,
  WorkflowTypes,
  type TrainingRunRequest,
  type TrainingRunRequestInput,
} from '@conveyor/contracts';

const pipelineKey = defineSearchAttributeKey(SearchAttributes.pipeline, SearchAttributeType.KEYWORD);
const triggerKey = defineSearchAttributeKey(SearchAttributes.trigger, SearchAttributeType.KEYWORD);

/** Options of {@link startTrainingRun}. */
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
    memo: { [MemoKeys.request]: request },
    typedSearchAttributes: [
      { key: pipelineKey, value: request.pipeline },
      { key: triggerKey, value: request.trigger.kind },
    ],
    staticSummary: summarizeRun(request),
  });
}
