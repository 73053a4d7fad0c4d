import { log } from '@temporalio/activity';
import { ErrorTypes, type TrainingRunRequest } from '@conveyor/contracts';
import { permanent, translating } from './failures.ts';
import { GitError, lsRemoteBranch } from './git.ts';
import type { ActivityDeps, ParameterProblem, TypedParameters } from './types.ts';

/** Result of {@link createSourceActivities}'s `validateRequest`. */
export interface ValidatedRequest {
  readonly parameters: TypedParameters;
}

function issuesOf(e: unknown): ParameterProblem[] | undefined {
  if (e && typeof e === 'object' && 'issues' in e && Array.isArray(e.issues)) {
    return (e.issues as { parameter?: unknown; message?: unknown; path?: unknown }[]).map((i) => ({
      parameter: String(i.parameter ?? (Array.isArray(i.path) ? i.path.join('.') : '?')),
      message: String(i.message ?? 'invalid'),
    }));
  }
  return undefined;
}

/** The pipeline parameter the operator's serving root fills. */
const SERVING_ROOT = 'serving_root';

/**
 * The typed parameters with the operator's serving root in `serving_root` when the pipeline
 * declares it (typing filled in its default) and the trigger did not set it.
 */
function withServingRoot(
  typed: TypedParameters,
  given: Readonly<Record<string, unknown>>,
  servingRoot: string | undefined,
): TypedParameters {
  if (!servingRoot || !(SERVING_ROOT in typed) || given[SERVING_ROOT] !== undefined) return typed;
  return { ...typed, [SERVING_ROOT]: servingRoot };
}

/** Request validation and commit resolution. */
export function createSourceActivities(deps: ActivityDeps) {
  return {
    /**
     * Types the parameters against the pipeline's declared runtime parameters (the registered
     * pipeline's, or the precompiled spec's). Runs before anything costs money.
     * @throws InvalidParameters naming every bad parameter; InvalidRequest for an unknown pipeline.
     */
    async validateRequest(request: TrainingRunRequest): Promise<ValidatedRequest> {
      return translating(async () => {
        try {
          if (request.spec) {
            const spec: unknown = JSON.parse((await deps.store.read(request.spec)).toString('utf8'));
            const typed = deps.catalog.typeSpecParameters(spec, request.parameters);
            return { parameters: withServingRoot(typed, request.parameters, deps.settings.servingRoot) };
          }
          if (!deps.catalog.has(request.pipeline)) {
            throw permanent(ErrorTypes.InvalidRequest, `unknown pipeline '${request.pipeline}'`);
          }
          const typed = deps.catalog.typeParameters(request.pipeline, request.parameters);
          return { parameters: withServingRoot(typed, request.parameters, deps.settings.servingRoot) };
        } catch (e: unknown) {
          const issues = issuesOf(e);
          if (!issues) throw e;
          const detail = issues.map((i) => `${i.parameter}: ${i.message}`).join('; ');
          throw permanent(
            ErrorTypes.InvalidParameters,
            `invalid parameters for '${request.pipeline}': ${detail}`,
          );
        }
      });
    },

    /**
     * The commit to build: the given one, or the branch head now (`git ls-remote`; local paths work).
     * @throws SourceNotFound when the branch does not exist or the repository cannot be read.
     */
    async resolveCommit(source: TrainingRunRequest['source']): Promise<string> {
      if (source.commit) return source.commit;
      try {
        const commit = await lsRemoteBranch(source.repoUrl, source.branch);
        if (!commit) {
          throw permanent(
            ErrorTypes.SourceNotFound,
            `branch '${source.branch}' not found in ${source.repoUrl}`,
          );
        }
        log.info('resolved commit', { repoUrl: source.repoUrl, branch: source.branch, commit });
        return commit;
      } catch (e: unknown) {
        // An unreachable repository may come back (retry); a missing one is reported by git as a
        // fatal error on every attempt, and the retry policy bounds the attempts.
        if (e instanceof GitError) log.warn('git ls-remote failed', { error: e.message });
        throw e;
      }
    },
  };
}
