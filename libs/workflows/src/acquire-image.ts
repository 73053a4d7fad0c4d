import {
  CancellationScope,
  condition,
  isCancellation,
  log,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import {
  ErrorTypes,
  type BuiltImage,
  type ErrorType,
  type ImageAnswer,
  type Source,
} from '@conveyor/contracts';
import { git, sideEffects } from './activities.ts';
import { fail } from './failures.ts';
import { imageReadySignal } from './image-build.ts';

/**
 * How long a run waits for the `imageBuild` it attached to. That workflow bounds its build to 2 h
 * (its poll's schedule-to-close timeout) and always answers, so 3 h only catches a lost answer.
 */
const IMAGE_WAIT_LIMIT = '3 hours';

/** What a workflow needs an image for. */
export interface ImageNeed {
  readonly pipeline: string;
  /** `commit` is the resolved full SHA. */
  readonly source: Source & { readonly commit: string };
  /** Build anew even when an image for the key exists. */
  readonly rebuild: boolean;
}

/** Gets images for a workflow; see {@link imageAcquirer}. */
export interface ImageAcquirer {
  acquire(need: ImageNeed): Promise<BuiltImage>;
}

/**
 * Installs the `imageReady` handler (call once, at the start of the workflow function) and returns
 * how to get an image: an earlier SUCCESS build's image when the registry still has it (no build at
 * all), else the answer of the one `imageBuild` of the key, which the workflow attaches to
 * (signal-with-start) and waits for. Cancelling the caller detaches it; the build stops only when no
 * run needs it any more.
 */
export function imageAcquirer(): ImageAcquirer {
  const answers = new Map<string, ImageAnswer>();
  setHandler(imageReadySignal, ({ imageWorkflowId, answer }) => void answers.set(imageWorkflowId, answer));
  return {
    /** @throws ApplicationFailure with the build's failure type (BuildFailed, BuildTimedOut, …). */
    async acquire(need) {
      const found = await git.findImage({
        pipeline: need.pipeline,
        source: need.source,
        lookup: !need.rebuild,
      });
      if (found.image) return found.image;
      const { workflowId, runId } = workflowInfo();
      const subscriber = { workflowId, runId };
      const build = {
        pipeline: need.pipeline,
        source: need.source,
        configSha256: found.key.configSha256,
        repository: found.key.repository,
        rebuild: need.rebuild,
      };
      await CancellationScope.nonCancellable(() =>
        sideEffects.requestImage({ workflowId: found.workflowId, build, subscriber }),
      );
      try {
        // A cancel that arrived while attaching must not wait for the image.
        if (CancellationScope.current().consideredCancelled)
          await CancellationScope.current().cancelRequested;
        const arrived = await condition(() => answers.has(found.workflowId), IMAGE_WAIT_LIMIT);
        if (!arrived) {
          throw fail(
            ErrorTypes.BuildTimedOut,
            `no answer from image build ${found.workflowId} within ${IMAGE_WAIT_LIMIT}`,
          );
        }
      } catch (e: unknown) {
        await CancellationScope.nonCancellable(() =>
          sideEffects.releaseImage({ workflowId: found.workflowId, subscriber }),
        );
        if (isCancellation(e)) log.info('detached from the image build', { imageWorkflow: found.workflowId });
        throw e;
      }
      const answer = answers.get(found.workflowId) as ImageAnswer;
      if (!answer.ok) throw fail(answer.type as ErrorType, answer.message);
      return answer.image;
    },
  };
}
