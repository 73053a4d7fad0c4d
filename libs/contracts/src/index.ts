export { TaskQueues, WorkflowTypes, Queries, SearchAttributes, MemoKeys } from './names.ts';
export { ErrorTypes, type ErrorType } from './errors.ts';
export {
  TriggerKindSchema,
  TriggerSchema,
  SourceSchema,
  ParameterValueSchema,
  TrainingRunRequestSchema,
  type TriggerKind,
  type Trigger,
  type Source,
  type ParameterValue,
  type TrainingRunRequest,
  type TrainingRunRequestInput,
} from './request.ts';
export {
  StageSchema,
  TerminalStages,
  WorkingStages,
  ImageSchema,
  TaskStateSchema,
  RunStatusSchema,
  CostEstimateSchema,
  TrainingRunResultSchema,
  ReportRefSchema,
  type Stage,
  type Image,
  type TaskState,
  type RunStatus,
  type CostEstimate,
  type TrainingRunResult,
  type ReportRef,
} from './status.ts';
export { pipelineJobIdFor, buildTagFor, summarizeRun } from './ids.ts';
export { estimateCost } from './cost.ts';
export { hasUrlCredentials, redactSecrets, redactUrlCredentials } from './secrets.ts';
