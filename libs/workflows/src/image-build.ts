import {
  CancellationScope,
  condition,
  defineSignal,
  getExternalWorkflowHandle,
  isCancellation,
  log,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import {
  buildTagFor,
  ErrorTypes,
  ImageBuildInputSchema,
  Signals,
  type BuiltImage,
  type ImageAnswer,
  type ImageBuildInput,
  type ImageKey,
  type ImageSubscriber,
} from '@conveyor/contracts';
import type { BuildOutcome } from '@conveyor/activities';
import { git, pollBuild, pollCancelled, sideEffects } from './activities.ts';
import { fail, runFailure } from './failures.ts';
import { recordBuildStarted } from './metrics.ts';

/** To `imageBuild`: a workflow that needs the image. */
export const imageSubscribeSignal = defineSignal<[ImageSubscriber]>(Signals.imageSubscribe);
/** To `imageBuild`: a subscriber that no longer needs it. */
export const imageUnsubscribeSignal = defineSignal<[ImageSubscriber]>(Signals.imageUnsubscribe);
/** From `imageBuild` to each subscriber. */
export const imageReadySignal = defineSignal<[{ imageWorkflowId: string; answer: ImageAnswer }]>(
  Signals.imageReady,
);

const keyOf = (s: ImageSubscriber): string => `${s.workflowId}\u0000${s.runId}`;

/** Run ids are UUIDs; the server refuses a signal command naming anything else. */
const RUN_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function validSubscriber(s: unknown): s is ImageSubscriber {
  const r = s as Partial<ImageSubscriber> | null;
  return (
    typeof r?.workflowId === 'string' &&
    r.workflowId !== '' &&
    typeof r.runId === 'string' &&
    RUN_ID.test(r.runId)
  );
}

/** Describes a failed build: the step, the status detail and the log. */
export function buildFailureMessage(build: BuildOutcome): string {
  const step = build.failedStep ? `step '${build.failedStep}' failed` : `ended ${build.status}`;
  return `build ${build.id} ${step}${build.statusDetail ? `: ${build.statusDetail}` : ''}; log: ${build.logUrl || 'n/a'}`;
}

/**
 * The one build of a training image per pipeline, commit and build config (its workflow id is the
 * key, `imageWorkflowIdFor`). Runs attach with signal-with-start, so N runs started at once cause
 * one build; each subscriber gets the image (or the failure) back as the `imageReady` signal.
 * Unless `rebuild`, an earlier SUCCESS build whose image still resolves is adopted instead. The build
 * is cancelled when every subscriber has left, when the wait for it times out, and when this
 * workflow is cancelled; only SUCCESS ends with an image, so a failed build is never reused.
 * @throws ApplicationFailure BuildFailed / BuildTimedOut / BuildCancelled naming the step and log.
 */
export async function imageBuild(rawInput: ImageBuildInput): Promise<BuiltImage> {
  const input = ImageBuildInputSchema.parse(rawInput);
  const { workflowId, runId } = workflowInfo();
  const subscribers = new Map<string, ImageSubscriber>();
  const left = new Set<string>();
  setHandler(imageSubscribeSignal, (s) => {
    // A malformed subscriber (a hand-sent signal) would make every answer's signal command invalid
    // and fail this workflow's tasks forever: leave it out.
    if (!validSubscriber(s)) {
      log.warn('ignoring a malformed subscriber', { subscriber: JSON.stringify(s).slice(0, 200) });
      return;
    }
    subscribers.set(keyOf(s), s);
    left.delete(keyOf(s));
  });
  setHandler(imageUnsubscribeSignal, (s) => void left.add(keyOf(s)));
  const everyoneLeft = (): boolean =>
    subscribers.size > 0 && [...subscribers.keys()].every((k) => left.has(k));

  const key: ImageKey = {
    pipeline: input.pipeline,
    commit: input.source.commit,
    configSha256: input.configSha256,
    repository: input.repository,
  };
  let answer: ImageAnswer;
  let cancelled: unknown;
  try {
    answer = { ok: true, image: await produce(input, key, buildTagFor(workflowId, runId), everyoneLeft) };
  } catch (e: unknown) {
    // This workflow cancelled (e.g. `temporal workflow cancel`), or its build cancelled because every
    // subscriber left: both answer BuildCancelled; only the first ends the workflow as cancelled.
    if (isCancellation(e) && CancellationScope.current().consideredCancelled) cancelled = e;
    const failure = isCancellation(e)
      ? fail(
          ErrorTypes.BuildCancelled,
          cancelled
            ? `image build ${workflowId} cancelled`
            : `image build ${workflowId} cancelled: no run needs it any more`,
        )
      : runFailure(e, 'building');
    answer = { ok: false, type: failure.type ?? ErrorTypes.BuildFailed, message: failure.message };
  }
  await CancellationScope.nonCancellable(() => answerAll(workflowId, subscribers, left, answer));
  if (cancelled) throw cancelled;
  if (!answer.ok) throw fail(answer.type as never, answer.message);
  return answer.image;
}

/** Finds the image (unless `rebuild`) or builds it, cancelling the build on every way out but success. */
async function produce(
  input: ImageBuildInput,
  key: ImageKey,
  runTag: string,
  everyoneLeft: () => boolean,
): Promise<BuiltImage> {
  if (!input.rebuild) {
    const found = await git.findImage({ pipeline: input.pipeline, source: input.source, lookup: true });
    if (found.image) return found.image;
  }
  const { repoUrl, branch } = input.source;
  const started = await CancellationScope.nonCancellable(() =>
    sideEffects.startBuild({ runTag, key, repoUrl, branch }),
  );
  const imageUri = started.image?.uri;
  log.info('build started', { buildId: started.id, imageUri });
  recordBuildStarted(input.pipeline);
  const waiting = new CancellationScope();
  let build: BuildOutcome;
  try {
    void condition(everyoneLeft).then(
      () => {
        log.info('no run needs the image any more: cancelling the build', { buildId: started.id });
        waiting.cancel();
      },
      // Rejected only when the workflow itself is cancelled, which cancels `waiting` too. Without
      // this handler the rejection is unhandled and fails every workflow task.
      () => undefined,
    );
    build = await waiting.run(() => pollBuild.checkBuild({ buildId: started.id, imageUri }));
  } catch (e: unknown) {
    // Cancelled, timed out, or the poll failed for good: the build must not run on unobserved.
    await CancellationScope.nonCancellable(async () => {
      await sideEffects.cancelBuild({ runTag, buildId: started.id });
      const final = await pollCancelled.checkBuild({ buildId: started.id });
      log.info('build ended after cancel', { buildId: started.id, status: final.status });
    });
    throw e;
  }
  if (build.status !== 'SUCCESS') {
    const type =
      build.status === 'CANCELLED'
        ? ErrorTypes.BuildCancelled
        : build.status === 'TIMEOUT'
          ? ErrorTypes.BuildTimedOut
          : ErrorTypes.BuildFailed;
    throw fail(type, buildFailureMessage(build));
  }
  if (!build.image?.digest)
    throw fail(
      ErrorTypes.BuildFailed,
      `build ${build.id} pushed no image with a digest; log: ${build.logUrl}`,
    );
  return {
    ...build.image,
    buildId: build.id,
    logUrl: build.logUrl,
    reused: false,
    durationMs: build.durationMs,
  };
}

/**
 * Signals the answer to every subscriber still waiting, including those that subscribe while
 * answering (their signal lands before this workflow can complete). A subscriber that has ended
 * cannot be signalled: that is logged, not an error.
 */
async function answerAll(
  imageWorkflowId: string,
  subscribers: Map<string, ImageSubscriber>,
  left: Set<string>,
  answer: ImageAnswer,
): Promise<void> {
  const answered = new Set<string>();
  for (;;) {
    const pending = [...subscribers].filter(([k]) => !answered.has(k) && !left.has(k));
    if (pending.length === 0) break;
    await Promise.all(
      pending.map(async ([k, s]) => {
        answered.add(k);
        try {
          await getExternalWorkflowHandle(s.workflowId, s.runId).signal(imageReadySignal, {
            imageWorkflowId,
            answer,
          });
        } catch (e: unknown) {
          log.info('subscriber gone; not answered', { subscriber: s.workflowId, error: String(e) });
        }
      }),
    );
  }
}
