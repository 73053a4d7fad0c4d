// Error types of the pipeline library. Each carries what a user needs to fix the input.

/** A component or pipeline definition is inconsistent (bad names, duplicate tasks, wrong wiring). */
export class PipelineDefinitionError extends Error {
  override readonly name = 'PipelineDefinitionError';
}

/** Compiling failed; `problems` lists every problem found, the message joins them. */
export class PipelineCompileError extends Error {
  override readonly name = 'PipelineCompileError';
  /** The pipeline being compiled. */
  readonly pipeline: string;
  /** Every problem found, one sentence each. */
  readonly problems: readonly string[];

  constructor(pipeline: string, problems: readonly string[]) {
    super(`cannot compile pipeline '${pipeline}': ${problems.join('; ')}`);
    this.pipeline = pipeline;
    this.problems = problems;
  }
}

/** A pipeline spec (or PipelineJob file) could not be read. */
export class InvalidPipelineSpecError extends Error {
  override readonly name = 'InvalidPipelineSpecError';
}

/** One problem with one user-given parameter. */
export interface ParameterIssue {
  /** The parameter's name. */
  readonly parameter: string;
  /** What is wrong, in words a user can act on. */
  readonly message: string;
}

/** How many problems a message spells out: enough to act on, bounded for logs and attributes. */
export const MAX_LISTED_PROBLEMS = 20;

/**
 * `problems` joined with `; `: at most the first {@link MAX_LISTED_PROBLEMS}, then `and N more`, so a
 * message with ten thousand bad keys still makes a short error, log line or attribute.
 */
export function listProblems(problems: readonly string[], limit = MAX_LISTED_PROBLEMS): string {
  const shown = problems.slice(0, limit);
  const rest = problems.length - shown.length;
  return rest > 0 ? `${shown.join('; ')}; and ${rest} more` : shown.join('; ');
}

/** User parameter values do not fit the pipeline's declared runtime parameters; lists every issue. */
export class InvalidParametersError extends Error {
  override readonly name = 'InvalidParametersError';
  /** Every issue found (not just the first); the message words the first 20. */
  readonly issues: readonly ParameterIssue[];

  constructor(issues: readonly ParameterIssue[]) {
    super(`invalid parameters: ${listProblems(issues.map((i) => `${i.parameter}: ${i.message}`))}`);
    this.issues = issues;
  }
}
