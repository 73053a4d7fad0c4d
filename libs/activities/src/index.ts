import { createBuildActivities } from './build.ts';
import { createImageActivities } from './image.ts';
import { createPromoteActivities } from './promote.ts';
import { createSweepActivities } from './sweep.ts';
import { createJobActivities } from './job.ts';
import { createReportActivities, type ReportOptions } from './report.ts';
import { createSourceActivities } from './source.ts';
import { createSpecActivities } from './spec.ts';
import type { ActivityDeps } from './types.ts';

/** Options of {@link createActivities} beyond the dependencies. */
export interface ActivityOptions {
  /** How the run report links to the Web UI. */
  readonly report?: ReportOptions | undefined;
}

/**
 * All Conveyor activities, bound to their dependencies. The workflow imports this type only
 * (`import type`) and reaches the functions through `proxyActivities`.
 */
export function createActivities(deps: ActivityDeps, options: ActivityOptions = {}) {
  return {
    ...createSourceActivities(deps),
    ...createImageActivities(deps),
    ...createBuildActivities(deps),
    ...createSpecActivities(deps),
    ...createJobActivities(deps),
    ...createReportActivities(deps, options.report),
    ...createPromoteActivities(deps),
    ...createSweepActivities(deps, options.report),
  };
}

/** The activity functions, as the workflow sees them. */
export type Activities = ReturnType<typeof createActivities>;

export { createPipelineCatalog } from './catalog.ts';
export { toActivityFailure, stillRunning, permanent } from './failures.ts';
export { imageUriFor, type StartBuildInput, type CancelBuildInput } from './build.ts';
export { whyNotAdoptable, type FindImageInput, type FoundImage } from './image.ts';
export type { PromoteInput, Promoted } from './promote.ts';
export { sweepDirectoryFor } from './sweep.ts';
export { specUriFor, type CompiledSpec } from './spec.ts';
export type { SubmitJobInput, JobOutputs } from './job.ts';
export { allowedUriPrefixes, type ValidatedRequest } from './source.ts';
export {
  createReportActivities,
  runDirectoryFor,
  type ReportLocation,
  type ReportOptions,
} from './report.ts';
export { readFileAtCommit, lsRemoteBranch, expandCommit, GitError } from './git.ts';
export type {
  ActivityDeps,
  ActivitySettings,
  BuildApi,
  PipelineApi,
  StoreApi,
  RegistryApi,
  ImageWorkflows,
  PipelineCatalog,
  TypedParameters,
  ParameterProblem,
  BuildOutcome,
  JobOutcome,
} from './types.ts';
