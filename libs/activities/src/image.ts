import { log } from '@temporalio/activity';
import {
  imageTagsFor,
  imageWorkflowIdFor,
  sha256Hex,
  type BuiltImage,
  type ImageBuildInput,
  type ImageKey,
  type ImageSubscriber,
  type Source,
} from '@conveyor/contracts';
import type { BuildInfo } from '@conveyor/gcp';
import { imageUriFor, readBuildConfig, toBuildOutcome } from './build.ts';
import { translating } from './failures.ts';
import type { ActivityDeps } from './types.ts';

/** Input of `findImage`. */
export interface FindImageInput {
  readonly pipeline: string;
  /** `commit` is the resolved full SHA. */
  readonly source: Source & { readonly commit: string };
  /** Look for an earlier SUCCESS build of the key (false: only compute the key, e.g. `--rebuild`). */
  readonly lookup: boolean;
}

/** Result of `findImage`: the key, the workflow that owns it, and the image when one exists. */
export interface FoundImage {
  readonly key: ImageKey;
  readonly workflowId: string;
  readonly image?: BuiltImage | undefined;
}

/**
 * Why a build cannot stand for the key, or undefined when it can: it succeeded, carries every tag of
 * the key (a look-alike key tag alone is not enough), built the key's commit, and pushed the key's
 * image URI with a digest.
 */
export function whyNotAdoptable(build: BuildInfo, key: ImageKey, imageUri: string): string | undefined {
  if (build.status !== 'SUCCESS') return `status ${build.status}`;
  const missing = Object.values(imageTagsFor(key)).filter((tag) => !build.tags.includes(tag));
  if (missing.length > 0) return `missing tags ${missing.join(', ')}`;
  const commit = build.substitutions['_COMMIT'];
  if (commit !== undefined && commit !== key.commit) return `built commit ${commit}`;
  const image = build.images.find((i) => i.name === imageUri);
  if (!image) return `pushed no ${imageUri}`;
  if (!/^sha256:[0-9a-f]{64}$/.test(image.digest)) return `no digest for ${imageUri}`;
  return undefined;
}

/** Image activities: find an image for a key, attach to or detach from the build that makes it. */
export function createImageActivities(deps: ActivityDeps) {
  const { builds, catalog, registry, settings, images } = deps;
  return {
    /**
     * Computes the image key (pipeline, commit, SHA-256 of the build config at that commit) and, with
     * `lookup`, adopts the newest SUCCESS build of the key whose image the registry still holds.
     * Failed, cancelled and timed-out builds are never adopted.
     * @throws BuildFailed when the pipeline's build config is not in the repository at that commit.
     */
    async findImage(input: FindImageInput): Promise<FoundImage> {
      return translating(async () => {
        const { pipeline, source } = input;
        const { text } = await readBuildConfig(catalog, pipeline, source);
        const key: ImageKey = {
          pipeline,
          commit: source.commit,
          configSha256: sha256Hex(text),
          repository: settings.imageRepository,
        };
        const workflowId = imageWorkflowIdFor(key);
        if (!input.lookup) return { key, workflowId };
        const imageUri = imageUriFor(settings.imageRepository, pipeline, source.commit);
        const candidates = [...(await builds.listBuildsByTag(imageTagsFor(key).key))].sort(
          (a, b) => (b.createTime ?? 0) - (a.createTime ?? 0),
        );
        for (const build of candidates) {
          const why = whyNotAdoptable(build, key, imageUri);
          if (why) {
            if (build.status === 'SUCCESS')
              log.warn('build carries the image key but is not adopted', { buildId: build.id, why });
            continue;
          }
          const outcome = toBuildOutcome(build, imageUri);
          const digest = outcome.image?.digest ?? '';
          if (!(await registry.hasManifest(imageUri, digest))) {
            log.info('image of an earlier build is gone from the registry', {
              buildId: build.id,
              imageUri,
              digest,
            });
            continue;
          }
          log.info('image reused', { buildId: build.id, imageUri, digest });
          return {
            key,
            workflowId,
            image: { uri: imageUri, digest, buildId: build.id, logUrl: build.logUrl, reused: true },
          };
        }
        return { key, workflowId };
      });
    },

    /**
     * Attaches a workflow to the one `imageBuild` of the key: signals it, starting it when none is
     * running. The image (or the failure) comes back as the `imageReady` signal.
     */
    async requestImage(input: {
      workflowId: string;
      build: ImageBuildInput;
      subscriber: ImageSubscriber;
    }): Promise<{ runId: string }> {
      const started = await images.subscribe(input.workflowId, input.build, input.subscriber);
      log.info('waiting for image', { imageWorkflow: input.workflowId, imageRunId: started.runId });
      return started;
    },

    /** Detaches a cancelled workflow; the build stops when nobody needs it any more. */
    async releaseImage(input: { workflowId: string; subscriber: ImageSubscriber }): Promise<void> {
      await images.unsubscribe(input.workflowId, input.subscriber);
    },
  };
}
