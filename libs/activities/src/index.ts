import { createBuildActivities } from './build.ts';
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
    ...createBuildActivities(deps),
    ...createSpecActivities(deps),
    ...createJobActivities(deps),
    ...createReportActivities(deps, options.report),
  };
}

/** The activity functions, as the workflow sees them. */
export type Activities = ReturnType<typeof createActivities>;

export { createPipelineCatalog } from './catalog.ts';
export { toActivityFailure, stillRunning, permanent } from './failures.ts';
export { imageUriFor, type StartBuildInput, type CancelBuildInput } from './build.ts';
export { specUriFor, type CompiledSpec } from './spec.ts';
export type { SubmitJobInput, JobOutputs } from './job.ts';
export { allowedUriPrefixes, type ValidatedRequest } from './source.ts';
export {
  createReportActivities,
  runDirectoryFor,
  type ReportLocation,
  type ReportOptions,
} from './report.ts';
export { readFileAtCommit, lsRemoteBranch, GitError } from './git.ts';
export type {
  ActivityDeps,
  ActivitySettings,
  BuildApi,
  PipelineApi,
  StoreApi,
  PipelineCatalog,
  TypedParameters,
  ParameterProblem,
  BuildOutcome,
  JobOutcome,
} from './types.ts';
