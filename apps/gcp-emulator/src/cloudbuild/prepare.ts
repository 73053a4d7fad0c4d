import { status } from '@grpc/grpc-js';
import { RpcError } from '../rpc-error.ts';
import { toMillis, type Build } from './model.ts';
import { createSubstituter } from './substitutions.ts';

/** Cloud Build's default build timeout (Build.timeout in the proto): 60 minutes. */
const DEFAULT_BUILD_TIMEOUT_MS = 3_600_000;

/** A step after substitution, with its dependencies as step indices. */
export interface PreparedStep {
  index: number;
  name: string;
  args: string[];
  env: string[];
  dir: string;
  entrypoint: string;
  script: string;
  /** 0 = no step timeout. */
  timeoutMs: number;
  dependsOn: number[];
  allowFailure: boolean;
  allowExitCodes: number[];
  /** Export every substitution to the step as an environment variable. */
  automap: boolean;
}

/** What the executor runs: substituted steps, images, logs bucket, timeout. */
export interface PreparedBuild {
  steps: PreparedStep[];
  images: string[];
  logsBucket: string;
  optionsEnv: string[];
  timeoutMs: number;
  /** Built-in values, exported to steps as env (BUILD_ID, PROJECT_ID, ...). */
  builtIns: Record<string, string>;
  /** Every substitution in force (for automapSubstitutions). */
  substitutions: Record<string, string>;
}

function invalid(message: string): RpcError {
  return new RpcError(status.INVALID_ARGUMENT, message);
}

/**
 * Validates a build the way CreateBuild does and applies substitutions to steps (name, args, env,
 * dir, entrypoint, script), images, tags-free fields and logsBucket.
 * @throws RpcError INVALID_ARGUMENT naming the problem (bad key, unmatched template, bad waitFor, ...)
 */
export function prepareBuild(
  build: Build,
  builtIns: { PROJECT_ID: string; PROJECT_NUMBER: string; BUILD_ID: string; LOCATION: string },
): PreparedBuild {
  if (build.steps.length === 0) throw invalid('invalid build: must have at least one step');
  const mode = build.options?.substitutionOption === 'ALLOW_LOOSE' ? 'ALLOW_LOOSE' : 'MUST_MATCH';
  const sub = createSubstituter({ builtIns, user: build.substitutions, mode });
  const ids = new Map<string, number>();
  const automapAll = Boolean(build.options?.automapSubstitutions);

  const steps = build.steps.map((step, index): PreparedStep => {
    if (!step.name) throw invalid(`invalid build step ${index}: name is required`);
    if (step.id) {
      if (ids.has(step.id)) throw invalid(`invalid build: duplicate step id "${step.id}"`);
    }
    let dependsOn: number[];
    if (step.waitFor.length === 0) dependsOn = [...Array(index).keys()];
    else if (step.waitFor.length === 1 && step.waitFor[0] === '-') dependsOn = [];
    else {
      dependsOn = step.waitFor.map((id) => {
        const dep = ids.get(id);
        if (dep === undefined) {
          throw invalid(
            `invalid build step ${index}: waitFor "${id}" does not name an earlier step (or use "-" to start at once)`,
          );
        }
        return dep;
      });
    }
    if (step.id) ids.set(step.id, index);
    if (step.script && (step.args.length > 0 || step.entrypoint)) {
      throw invalid(
        `invalid build step ${index}: when script is provided, entrypoint and args cannot be specified`,
      );
    }
    return {
      index,
      name: sub.apply(step.name),
      args: step.args.map((a) => sub.apply(a)),
      env: step.env.map((e) => sub.apply(e)),
      dir: sub.apply(step.dir),
      entrypoint: sub.apply(step.entrypoint),
      // Cloud Build does not substitute inside `script`; automapSubstitutions exports them as env instead.
      script: step.script,
      automap: Boolean(step.automapSubstitutions ?? automapAll),
      timeoutMs: toMillis(step.timeout),
      dependsOn,
      allowFailure: step.allowFailure,
      allowExitCodes: step.allowExitCodes,
    };
  });
  const images = build.images.map((i) => sub.apply(i));
  const logsBucket = sub.apply(build.logsBucket);
  const optionsEnv = (build.options?.env ?? []).map((e) => sub.apply(e));
  // A step that automaps substitutions uses every key (as env), so none is "unused".
  if (!steps.some((s) => s.automap)) sub.checkAllUsed();
  return {
    steps,
    images,
    logsBucket,
    optionsEnv,
    timeoutMs: toMillis(build.timeout) || DEFAULT_BUILD_TIMEOUT_MS,
    builtIns: { ...builtIns },
    substitutions: { ...sub.values },
  };
}
