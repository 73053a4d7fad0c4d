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

/** User parameter values do not fit the pipeline's declared runtime parameters; lists every issue. */
export class InvalidParametersError extends Error {
  override readonly name = 'InvalidParametersError';
  /** Every issue found (not just the first). */
  readonly issues: readonly ParameterIssue[];

  constructor(issues: readonly ParameterIssue[]) {
    super(`invalid parameters: ${issues.map((i) => `${i.parameter}: ${i.message}`).join('; ')}`);
    this.issues = issues;
  }
}
