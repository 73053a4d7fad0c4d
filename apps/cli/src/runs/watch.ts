// Following a run: stage from the `status` query, build step / task states from the pending poll
// activity's last BENIGN "still running" failure (the retry-based wait records nothing in history).
import { setTimeout as sleep } from 'node:timers/promises';
import type { WorkflowHandle } from '@temporalio/client';
import { messageOf, Queries, type RunStatus, type TrainingRunResult } from '@conveyor/contracts';

/** How often the progress display refreshes: fast enough to follow, light on the server. */
const REFRESH_MS = 1_000;
/** A query needs a worker; without one, give up after this long and show the last known stage. */
const QUERY_TIMEOUT_MS = 3_000;

/** The live status, or undefined when no worker answers in time. */
export async function queryStatus(handle: WorkflowHandle): Promise<RunStatus | undefined> {
  // Unref: a limit that was not needed must not keep the process alive.
  const timeout = sleep(QUERY_TIMEOUT_MS, undefined, { ref: false }).then(() => undefined);
  return Promise.race([handle.query<RunStatus>(Queries.status).catch(() => undefined), timeout]);
}

/** The message of the pending activity's last failure, e.g. "build 12 WORKING, step 'x' working". */
export async function pendingActivityNote(handle: WorkflowHandle): Promise<string | undefined> {
  const description = await handle.describe();
  const pending = description.raw.pendingActivities ?? [];
  const poll = pending.find((a) => a.lastFailure?.message) ?? pending[0];
  if (!poll) return undefined;
  return (
    poll.lastFailure?.message ?? `${poll.activityType?.name ?? 'activity'} (attempt ${poll.attempt ?? 1})`
  );
}

/** How a followed run (or, with `R = SweepResult`, a sweep) ended. */
export type RunOutcome<R = TrainingRunResult> =
  | { readonly status: 'COMPLETED'; readonly result: R }
  | {
      readonly status: 'FAILED' | 'CANCELLED' | 'TERMINATED' | 'TIMED_OUT';
      readonly error: string;
      readonly type?: string;
    };

/** Waits for a run's end; `onProgress` gets a line whenever the stage or the progress note changes. */
export async function followRun(
  handle: WorkflowHandle,
  onProgress: (status: RunStatus | undefined, note: string | undefined) => void,
): Promise<RunOutcome> {
  let last = '';
  for (;;) {
    const description = await handle.describe();
    if (description.status.name !== 'RUNNING') break;
    const [status, note] = await Promise.all([
      queryStatus(handle),
      pendingActivityNote(handle).catch(() => undefined),
    ]);
    const key = `${status?.stage}|${note}`;
    if (key !== last) {
      onProgress(status, note);
      last = key;
    }
    await sleep(REFRESH_MS);
  }
  return outcomeOf(handle);
}

/** The outcome of a run (or sweep), once it has closed (waits for it). */
export async function outcomeOf<R = TrainingRunResult>(handle: WorkflowHandle): Promise<RunOutcome<R>> {
  try {
    const result = (await handle.result()) as R;
    return { status: 'COMPLETED', result };
  } catch (e: unknown) {
    // Describe after the result: the run is closed by now, so its status is final.
    const name = (await handle.describe()).status.name;
    const cause = e instanceof Error && e.cause instanceof Error ? e.cause : e;
    const type =
      cause && typeof cause === 'object' && 'type' in cause && typeof cause.type === 'string'
        ? cause.type
        : undefined;
    const status = name === 'CANCELLED' || name === 'TERMINATED' || name === 'TIMED_OUT' ? name : 'FAILED';
    return {
      status,
      error: messageOf(cause),
      ...(type ? { type } : {}),
    };
  }
}
