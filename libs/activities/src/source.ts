import { createHash } from 'node:crypto';
import { log } from '@temporalio/activity';
import { ErrorTypes, type TrainingRunRequest } from '@conveyor/contracts';
import { listProblems, uriProblem } from '@conveyor/pipeline/spec';
import { permanent, translating } from './failures.ts';
import { GitError, lsRemoteBranch } from './git.ts';
import type { ActivityDeps, ActivitySettings, ParameterProblem, TypedParameters } from './types.ts';

/** Result of {@link createSourceActivities}'s `validateRequest`. */
export interface ValidatedRequest {
  /** Every runtime parameter's value: the run's, the operator's settings, the defaults. */
  readonly parameters: TypedParameters;
  /** The precompiled spec the run submits and the sha256 of the bytes validated (`request.spec` only). */
  readonly spec?: { readonly uri: string; readonly sha256: string } | undefined;
}

/** Where a run's URIs may point: the pipeline root's bucket and the operator's allowed buckets. */
export function allowedUriPrefixes(
  settings: Pick<ActivitySettings, 'pipelineRoot' | 'allowedBuckets'>,
): string[] {
  const root = /^gs:\/\/([^/]+)/.exec(settings.pipelineRoot)?.[1];
  const buckets = [...(root ? [root] : []), ...(settings.allowedBuckets ?? [])];
  return [...new Set(buckets)].map((b) => `gs://${b}/`);
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

/** Request validation and commit resolution. */
export function createSourceActivities(deps: ActivityDeps) {
  return {
    /**
     * Types the parameters against the pipeline's declared runtime parameters (the registered
     * pipeline's with their bounds and operator settings, or the precompiled spec's types), applies
     * the operator's settings, and holds every URI to the allowed buckets. Runs before anything
     * costs money. A precompiled spec is checked against the allowed buckets before it is read.
     * @throws InvalidParameters naming every bad parameter; InvalidRequest for an unknown pipeline or
     *   a spec outside the allowed buckets.
     */
    async validateRequest(request: TrainingRunRequest): Promise<ValidatedRequest> {
      return translating(async () => {
        const allowed = allowedUriPrefixes(deps.settings);
        try {
          if (request.spec) {
            const problem = uriProblem(request.spec, allowed);
            if (problem) throw permanent(ErrorTypes.InvalidRequest, `spec: ${problem}`);
            const bytes = await deps.store.read(request.spec);
            const sha256 = createHash('sha256').update(bytes).digest('hex');
            log.info('precompiled spec', { uri: request.spec, sha256 });
            const spec: unknown = JSON.parse(bytes.toString('utf8'));
            const parameters = deps.catalog.typeSpecParameters(spec, request.parameters, {
              allowedUriPrefixes: allowed,
            });
            return { parameters, spec: { uri: request.spec, sha256 } };
          }
          if (!deps.catalog.has(request.pipeline)) {
            throw permanent(ErrorTypes.InvalidRequest, `unknown pipeline '${request.pipeline}'`);
          }
          const parameters = deps.catalog.typeParameters(request.pipeline, request.parameters, {
            settings: deps.settings.pipelineSettings?.[request.pipeline],
            allowedUriPrefixes: allowed,
          });
          return { parameters };
        } catch (e: unknown) {
          const issues = issuesOf(e);
          if (!issues) throw e;
          const detail = listProblems(issues.map((i) => `${i.parameter}: ${i.message}`));
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
