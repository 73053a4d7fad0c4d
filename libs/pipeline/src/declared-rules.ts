// definePipeline's check of the declared parameter rules: consistent, and obeyed by the defaults.
import { PipelineDefinitionError } from './errors.ts';
import type { RuntimeParameter } from './read-spec.ts';
import { rulesProblems } from './rules.ts';
import { typeParameters } from './typing.ts';

/**
 * Checks every declaration's rules (bounds in order and on numbers, enum values of the type, `uri` on
 * STRING, `overridable` on operator settings) and that each default obeys them.
 * @throws PipelineDefinitionError listing every problem.
 */
export function checkDeclaredRules(pipeline: string, declared: readonly RuntimeParameter[]): void {
  const problems = declared.flatMap((p) => rulesProblems(p.name, p.type, p));
  if (problems.length === 0) {
    try {
      // Defaults only: a required parameter has none to check.
      typeParameters(
        declared.filter((p) => p.default !== undefined),
        {},
      );
    } catch (e: unknown) {
      if (!(e instanceof Error)) throw e;
      problems.push(`a default breaks its declared rules: ${e.message}`);
    }
  }
  if (problems.length > 0)
    throw new PipelineDefinitionError(`pipeline '${pipeline}': ${problems.join('; ')}`);
}
