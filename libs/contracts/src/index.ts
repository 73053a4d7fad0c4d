export { TaskQueues, WorkflowTypes, Queries, Signals, SearchAttributes, MemoKeys } from './names.ts';
export { ErrorTypes, messageOf, type ErrorType } from './errors.ts';
export {
  gcpErrorKinds,
  gcpErrorKindOf,
  GrpcCodes,
  grpcCodeKinds,
  httpStatusKinds,
  kindOfGrpcCode,
  kindOfHttpStatus,
  numericCodeOf,
  type GcpErrorKind,
} from './error-kinds.ts';
export {
  TriggerKindSchema,
  TriggerSchema,
  SourceSchema,
  ParameterValueSchema,
  PinnedImageSchema,
  TrainingRunRequestSchema,
  type TriggerKind,
  type Trigger,
  type Source,
  type ParameterValue,
  type PinnedImage,
  type TrainingRunRequest,
  type TrainingRunRequestInput,
} from './request.ts';
export {
  StageSchema,
  TerminalStages,
  WorkingStages,
  ImageSchema,
  BuildRefSchema,
  TaskStateSchema,
  RunStatusSchema,
  CostEstimateSchema,
  TrainingRunResultSchema,
  ReportRefSchema,
  type Stage,
  type Image,
  type BuildRef,
  type TaskState,
  type RunStatus,
  type CostEstimate,
  type TrainingRunResult,
  type ReportRef,
} from './status.ts';
export {
  sha256Hex,
  hashOf,
  pipelineJobIdFor,
  buildTagFor,
  imageTagsFor,
  imageWorkflowIdFor,
  ownerFromTags,
  ownerTagsFor,
  summarizeRun,
  type ImageKey,
  type ImageTags,
} from './ids.ts';
export {
  ImageBuildInputSchema,
  type ImageBuildInput,
  type ImageSubscriber,
  type ImageWorkflows,
  type BuiltImage,
  type ImageAnswer,
} from './image.ts';
export {
  MAX_SWEEP_TRIALS,
  seededRandom,
  MAX_SWEEP_PARALLEL,
  GoalSchema,
  RandomSearchSchema,
  SweepRequestSchema,
  SweepTrialSchema,
  SweepResultSchema,
  gridSize,
  sweepTrials,
  isBetter,
  type Goal,
  type SweepRequest,
  type SweepRequestInput,
  type SweepTrial,
  type SweepResult,
} from './sweep.ts';
export { estimateCost } from './cost.ts';
export {
  SearchAttributeKeys,
  runVisibility,
  sweepVisibility,
  type WorkflowVisibility,
} from './visibility.ts';
export { MetricNames, stageDurationBucketsSeconds } from './metrics.ts';
export { hasUrlCredentials, redactSecrets, redactUrlCredentials } from './secrets.ts';
export {
  TriggerKeyNamespaces,
  MAX_TRIGGER_ID_LENGTH,
  triggerWorkflowId,
  type TriggerKeyNamespace,
} from './trigger-ids.ts';
export {
  GithubHeaders,
  GithubCommitSchema,
  GithubRepositorySchema,
  GithubPushEventSchema,
  isZeroCommit,
  type GithubCommit,
  type GithubRepository,
  type GithubPushEvent,
  type GithubPushEventInput,
} from './github.ts';
