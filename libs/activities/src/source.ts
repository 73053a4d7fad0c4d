import { log } from '@temporalio/activity';
import { ErrorTypes, messageOf, type TrainingRunRequest } from '@conveyor/contracts';
import { permanent, translating } from './failures.ts';
import { parse as parseYaml } from 'yaml';
import { expandCommit, GitError, lsRemoteBranch, readFileAtCommit } from './git.ts';
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
     * pipeline's, or the precompiled spec's). Runs before anything costs money. A git-push run
     * (trigger `git`, commit known) takes its parameters from the pipeline's parameters file at that
     * commit, when there is one. `promote: false` turns the pipeline's own push off.
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
          const fromFile = await parametersFromRepo(deps, request);
          const given = { ...fromFile, ...request.parameters };
          const typed = deps.catalog.typeParameters(request.pipeline, given);
          const parameters = withServingRoot(typed, given, deps.settings.servingRoot);
          const pushParameter = deps.catalog.conventions(request.pipeline).model?.pushParameter;
          if (!request.promote && pushParameter) parameters[pushParameter] = false;
          return { parameters };
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
