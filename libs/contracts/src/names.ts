/**
 * Names that the workflows, their callers and the worker must agree on. They are type names on the
 * Temporal server: renaming one is a breaking change for running workflows, schedules and scripts.
 */

/** Task queues. One queue serves every Conveyor workflow and activity. */
export const TaskQueues = {
  /** Where `trainingRun`, `imageBuild`, `trainingSweep` and every Conveyor activity are polled. */
  training: 'conveyor-training',
} as const;

/** Workflow type names. */
export const WorkflowTypes = {
  /** One training run: image → compile → upload → submit → wait → collect → report. */
  trainingRun: 'trainingRun',
  /** The one build of a training image per pipeline, commit and build config; runs attach to it. */
  imageBuild: 'imageBuild',
  /** A hyperparameter sweep: one image, trials as child `trainingRun`s, the best model promoted. */
  trainingSweep: 'trainingSweep',
} as const;

/** Query names. */
export const Queries = {
  /** `trainingRun`: {@link RunStatus}, the live stage and everything known so far. */
  status: 'status',
  /** `trainingSweep`: the trials so far. */
  sweepStatus: 'sweepStatus',
} as const;

/** Signal names. */
export const Signals = {
  /** To `imageBuild`: a workflow that needs the image (sent with signal-with-start). */
  imageSubscribe: 'imageSubscribe',
  /** To `imageBuild`: a subscriber no longer needs the image (it was cancelled). */
  imageUnsubscribe: 'imageUnsubscribe',
  /** From `imageBuild` to each subscriber: the image, or why there is none. */
  imageReady: 'imageReady',
} as const;

/** Custom search attributes (all `Keyword`), registered when the server starts. */
export const SearchAttributes = {
  pipeline: 'ConveyorPipeline',
  trigger: 'ConveyorTrigger',
  commit: 'ConveyorCommit',
  /** The sweep a trial belongs to (its workflow id); set on the sweep itself too. */
  sweep: 'ConveyorSweep',
} as const;

/** Memo keys set on every run. */
export const MemoKeys = {
  /** The {@link TrainingRunRequest} (or sweep request) as started. */
  request: 'request',
} as const;
