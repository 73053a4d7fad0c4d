import { log } from '@temporalio/activity';
import { parse as parseYaml } from 'yaml';
import {
  ErrorTypes,
  gcpErrorKindOf,
  imageTagsFor,
  imageWorkflowIdFor,
  ownerTagsFor,
  sha256Hex,
  type ImageKey,
} from '@conveyor/contracts';
import { buildFromConfig, terminalBuildStatuses, type BuildInfo } from '@conveyor/gcp';
import { permanent, stillRunning, translating } from './failures.ts';
import { readFileAtCommit } from './git.ts';
import type { ActivityDeps, BuildOutcome } from './types.ts';

/** Input of `startBuild`. */
export interface StartBuildInput {
  /** Tag of this `imageBuild` execution (`buildTagFor(workflowId, runId)`): the idempotency key. */
  readonly runTag: string;
  /** The image the build makes; `commit` is a full SHA. */
  readonly key: ImageKey;
  readonly repoUrl: string;
  readonly branch: string;
}

/** Input of `cancelBuild`. */
export interface CancelBuildInput {
  readonly runTag: string;
  readonly buildId?: string | undefined;
}

/** The image URI a build pushes: one per pipeline and commit. */
export function imageUriFor(repository: string, pipeline: string, commit: string): string {
  return `${repository.replace(/\/$/, '')}/${pipeline}:${commit}`;
}

/** A build as the workflow sees it. */
export function toBuildOutcome(build: BuildInfo, imageUri?: string): BuildOutcome {
  const failed = build.steps.find((s) => ['FAILURE', 'TIMEOUT', 'INTERNAL_ERROR'].includes(s.status));
  const image = build.images.find((i) => i.name === imageUri) ?? build.images[0];
  return {
    id: build.id,
    status: build.status,
    logUrl: build.logUrl,
    steps: build.steps,
    failedStep: failed?.id,
    statusDetail: build.statusDetail,
    image: image ? { uri: image.name, digest: image.digest } : undefined,
    durationMs: build.startTime && build.finishTime ? build.finishTime - build.startTime : undefined,
  };
}

/**
 * The pipeline's build config at a commit (its bytes identify the image, with the commit).
 * @throws BuildFailed when the file is not in the repository at that commit.
 */
export async function readBuildConfig(
  catalog: ActivityDeps['catalog'],
  pipeline: string,
  source: { repoUrl: string; branch: string; commit: string },
): Promise<{ path: string; text: string }> {
  const path = catalog.conventions(pipeline).buildConfig;
  const text = await readFileAtCommit(source.repoUrl, source.branch, source.commit, path);
  if (text === undefined) {
    throw permanent(
      ErrorTypes.BuildFailed,
      `${path} not found at commit ${source.commit} of ${source.repoUrl}`,
    );
  }
  return { path, text };
}

/** Substitutions a config uses or declares; Cloud Build (MUST_MATCH) rejects unused ones. */
function usedSubstitutions(
  configText: string,
  config: Record<string, unknown>,
  offered: Record<string, string>,
) {
  const declared = (config['substitutions'] ?? {}) as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(offered).filter(
      ([key]) => key in declared || new RegExp(`\\$\\{?${key}\\b`).test(configText),
    ),
  );
}

/** Cloud Build activities: start (or adopt this execution's build), check once, cancel. */
export function createBuildActivities(deps: ActivityDeps) {
  const { builds, catalog, settings } = deps;
  return {
    /**
     * Starts the image's build from the build config at the key's commit, or adopts the build already
     * carrying `runTag` (a retry or a restarted worker finds it instead of building twice). The build
     * carries every tag of the key, so later runs can find and check it.
     * @throws BuildFailed when the config is missing or no longer hashes to the key.
     */
    async startBuild(input: StartBuildInput): Promise<BuildOutcome> {
      return translating(async () => {
        const { key } = input;
        const imageUri = imageUriFor(settings.imageRepository, key.pipeline, key.commit);
        const existing = await builds.listBuildsByTag(input.runTag);
        if (existing.length > 0) {
          const adopted = existing[0] as BuildInfo;
          log.info('adopting this execution’s build', { buildId: adopted.id, runTag: input.runTag });
          return toBuildOutcome(adopted, imageUri);
        }
        const { path, text } = await readBuildConfig(catalog, key.pipeline, { ...input, commit: key.commit });
        if (sha256Hex(text) !== key.configSha256) {
          throw permanent(
            ErrorTypes.BuildFailed,
            `${path} at ${key.commit} hashes to ${sha256Hex(text)}, not the key's ${key.configSha256}`,
          );
        }
        const config = (parseYaml(text) ?? {}) as Record<string, unknown>;
        const offered = {
          _REPO_URL: input.repoUrl,
          _BRANCH: input.branch,
          _IMAGE: imageUri,
          _COMMIT: key.commit,
        };
        const build = buildFromConfig(config);
        build.substitutions = { ...build.substitutions, ...usedSubstitutions(text, config, offered) };
        const tags = imageTagsFor(key);
        build.tags = [
          ...(build.tags ?? []),
          'conveyor',
          tags.key,
          tags.pipeline,
          tags.commit,
          tags.config,
          input.runTag,
          // The imageBuild workflow that owns this build: `conveyor runs cleanup` finds it by this tag.
          ...ownerTagsFor(imageWorkflowIdFor(key)),
        ];
        const created = await builds.createBuild(build);
        log.info('build created', { buildId: created.id, runTag: input.runTag, imageUri });
        return toBuildOutcome(created, imageUri);
      });
    },

    /**
     * Looks at a build once. Running → BENIGN "still running" (the retry policy polls); terminal →
     * the outcome, which the workflow turns into success or a BuildFailed naming the step.
     */
    async checkBuild(input: { buildId: string; imageUri?: string }): Promise<BuildOutcome> {
      return translating(async () => {
        const build = await builds.getBuild(input.buildId);
        const outcome = toBuildOutcome(build, input.imageUri);
        if (terminalBuildStatuses.has(build.status)) return outcome;
        const working = build.steps.find((s) => s.status === 'WORKING');
        throw stillRunning(
          `build ${build.id} ${build.status}${working ? `, step '${working.id}' working` : ''}`,
          { kind: 'build', id: build.id, status: build.status, steps: build.steps },
          settings.pollIntervalMs,
        );
      });
    },

    /** Cancels the execution's builds that are not finished yet (by id, and by run tag for safety). */
    async cancelBuild(input: CancelBuildInput): Promise<void> {
      return translating(async () => {
        const tagged = await builds.listBuildsByTag(input.runTag);
        const ids = new Set(tagged.filter((b) => !terminalBuildStatuses.has(b.status)).map((b) => b.id));
        if (input.buildId) ids.add(input.buildId);
        for (const id of ids) {
          try {
            await builds.cancelBuild(id);
            log.info('build cancel requested', { buildId: id });
          } catch (e: unknown) {
            // Already finished: nothing left to cancel.
            if (gcpErrorKindOf(e) === 'failed-precondition') continue;
            throw e;
          }
        }
      });
    },
  };
}
