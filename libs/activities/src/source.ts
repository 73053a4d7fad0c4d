import { createHash } from 'node:crypto';
import { log } from '@temporalio/activity';
import { parse as parseYaml } from 'yaml';
import { ErrorTypes, messageOf, type TrainingRunRequest } from '@conveyor/contracts';
import { listProblems, uriProblem } from '@conveyor/pipeline/spec';
import { permanent, translating } from './failures.ts';
import { expandCommit, GitError, lsRemoteBranch, readFileAtCommit } from './git.ts';
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

/**
 * The run parameters checked into the repository for a git-push run: the `parameters` map of the
 * pipeline's parameters file (YAML or JSON) at the pushed commit; none when the file is absent.
 * @throws InvalidParameters when the file is there but is not a map of parameters.
 */
async function parametersFromRepo(
  deps: ActivityDeps,
  request: TrainingRunRequest,
): Promise<Record<string, unknown>> {
  const { commit, repoUrl, branch } = request.source;
  if (request.trigger.kind !== 'git' || !commit) return {};
  const path = deps.catalog.conventions(request.pipeline).parametersFile;
  const text = await readFileAtCommit(repoUrl, branch, commit, path);
  if (text === undefined) return {};
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e: unknown) {
    throw permanent(ErrorTypes.InvalidParameters, `${path} at ${commit} is not YAML: ${messageOf(e)}`);
  }
  const parameters =
    doc && typeof doc === 'object' ? (doc as Record<string, unknown>)['parameters'] : undefined;
  if (parameters === undefined || parameters === null) return {};
  if (typeof parameters !== 'object' || Array.isArray(parameters)) {
    throw permanent(
      ErrorTypes.InvalidParameters,
      `${path} at ${commit}: 'parameters' must be a map of name: value`,
    );
  }
  log.info('run parameters from the repository', { path, commit });
  return parameters as Record<string, unknown>;
}

/** Request validation and commit resolution. */
export function createSourceActivities(deps: ActivityDeps) {
  return {
    /**
     * Types the parameters against the pipeline's declared runtime parameters (the registered
     * pipeline's with their bounds and operator settings, or the precompiled spec's types), applies
     * the operator's settings, and holds every URI to the allowed buckets. Runs before anything
     * costs money. A precompiled spec is checked against the allowed buckets before it is read. A
     * git-push run (trigger `git`, commit known) takes its run parameters from the pipeline's
     * parameters file at that commit, when there is one. `promote: false` turns the pipeline's own
     * push off (sweep trials).
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
          const fromFile = await parametersFromRepo(deps, request);
          const parameters = deps.catalog.typeParameters(
            request.pipeline,
            { ...fromFile, ...request.parameters },
            { settings: deps.settings.pipelineSettings?.[request.pipeline], allowedUriPrefixes: allowed },
          );
          const pushParameter = deps.catalog.conventions(request.pipeline).model?.pushParameter;
          if (!request.promote && pushParameter) parameters[pushParameter] = false;
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
     * The full SHA of the commit to build: the given one (expanded when abbreviated), or the branch
     * head now (`git ls-remote`; local paths work).
     * @throws SourceNotFound when the branch or commit does not exist or the repository cannot be read.
     */
    async resolveCommit(source: TrainingRunRequest['source']): Promise<string> {
      try {
        if (source.commit) {
          const full = await expandCommit(source.repoUrl, source.branch, source.commit);
          if (!full) {
            throw permanent(
              ErrorTypes.SourceNotFound,
              `commit '${source.commit}' not found on branch '${source.branch}' of ${source.repoUrl}`,
            );
          }
          return full;
        }
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
