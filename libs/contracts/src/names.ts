/**
 * Names that the workflow, its callers and the worker must agree on. They are type names on the
 * Temporal server: renaming one is a breaking change for running workflows, schedules and scripts.
 */

/** Task queues. One queue serves the training workflow and its activities. */
export const TaskQueues = {
  /** Where `trainingRun` and every Conveyor activity is polled. */
  training: 'conveyor-training',
} as const;

/** Workflow type names. */
export const WorkflowTypes = {
  trainingRun: 'trainingRun',
} as const;

/** Query names served by `trainingRun`. */
export const Queries = {
  /** Returns {@link RunStatus}: the live stage and everything known so far. */
  status: 'status',
} as const;

/** Custom search attributes (all `Keyword`), registered when the server starts. */
export const SearchAttributes = {
  pipeline: 'ConveyorPipeline',
  trigger: 'ConveyorTrigger',
  commit: 'ConveyorCommit',
} as const;

/** Memo keys set on every run. */
export const MemoKeys = {
  /** The {@link TrainingRunRequest} as started. */
  request: 'request',
} as const;
