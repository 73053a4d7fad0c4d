// What the soak reads back, each through the official clients: the runs on its task queue (Temporal
// visibility and their memo), the dead letters (the dead-letter subscription), and every build and
// pipeline job in its emulator (Cloud Build and Vertex AI APIs).
import { setTimeout as sleep } from 'node:timers/promises';
import type { Message, PubSub } from '@google-cloud/pubsub';
import type { Client } from '@temporalio/client';
import { MemoKeys, WorkflowTypes, type TrainingRunRequest } from '@conveyor/contracts';
import type { CloudBuild, VertexPipelines } from '@conveyor/gcp';
import type { ObservedDeadLetter, ObservedRun, SoakObservations } from './report.ts';

/** The visibility query of the soak's training runs (its image builds share the queue). */
export function runsQuery(taskQueue: string): string {
  return `TaskQueue = "${taskQueue}" AND WorkflowType = "${WorkflowTypes.trainingRun}"`;
}

/** Every training run on the queue, with the id of the message that started it (memo). */
export async function listRuns(client: Client, taskQueue: string): Promise<ObservedRun[]> {
  const runs: ObservedRun[] = [];
  for await (const w of client.workflow.list({ query: runsQuery(taskQueue) })) {
    const request = w.memo?.[MemoKeys.request] as Partial<TrainingRunRequest> | undefined;
    runs.push({
      workflowId: w.workflowId,
      runId: w.runId,
      triggerId: request?.trigger?.id,
      status: w.status.name,
    });
  }
  return runs;
}

/** Counts of the soak's runs: all, and still running. */
export async function countRuns(
  client: Client,
  taskQueue: string,
): Promise<{ all: number; running: number }> {
  const [all, running] = await Promise.all([
    client.workflow.count(runsQuery(taskQueue)),
    client.workflow.count(`${runsQuery(taskQueue)} AND ExecutionStatus = "Running"`),
  ]);
  return { all: all.count, running: running.count };
}

/** Reads (and acks) dead letters from `subscription` until {@link DeadLetterReader.close}. */
export class DeadLetterReader {
  readonly received: ObservedDeadLetter[] = [];
  readonly #subscription;

  constructor(pubsub: PubSub, subscription: string) {
    this.#subscription = pubsub.subscription(subscription);
    this.#subscription.on('message', (m: Message) => {
      this.received.push({
        originalMessageId: m.attributes['originalMessageId'],
        reason: m.attributes['reason'],
      });
      m.ack();
    });
    // Stream errors are retried by the client; a soak must not die of one.
    this.#subscription.on('error', () => undefined);
  }

  async close(): Promise<void> {
    await this.#subscription.close();
  }
}

/** What {@link waitForQuiet} waits for. */
export interface QuietTarget {
  readonly expectedRuns: number;
  readonly expectedDeadLetters: number;
  readonly deadLetters: () => number;
}

/**
 * Waits until every expected run exists and has ended and every invalid message has a dead letter,
 * and then stays so for `settleMs` (a redelivery that would start a second run has come back by
 * then), or until `deadline` (epoch ms) — whichever is first. Returns whether it got quiet.
 */
export async function waitForQuiet(
  client: Client,
  taskQueue: string,
  target: QuietTarget,
  settleMs: number,
  deadline: number,
  signal: AbortSignal,
): Promise<boolean> {
  let quietSince: number | undefined;
  let last = '';
  while (Date.now() < deadline && !signal.aborted) {
    const runs = await countRuns(client, taskQueue);
    const done =
      runs.running === 0 &&
      runs.all >= target.expectedRuns &&
      target.deadLetters() >= target.expectedDeadLetters;
    const now = `${runs.all}/${runs.running}/${target.deadLetters()}`;
    if (!done || now !== last) quietSince = done ? Date.now() : undefined;
    last = now;
    if (quietSince !== undefined && Date.now() - quietSince >= settleMs) return true;
    await sleep(2_000, undefined, { signal }).catch(() => undefined);
  }
  return false;
}

/**
 * Cancels the runs still running (they end their builds and jobs themselves) and waits up to
 * `timeoutMs` for them to end. Returns how many it cancelled.
 */
export async function cancelRunning(client: Client, taskQueue: string, timeoutMs: number): Promise<number> {
  const running = (await listRuns(client, taskQueue)).filter((r) => r.status === 'RUNNING');
  await Promise.allSettled(running.map((r) => client.workflow.getHandle(r.workflowId, r.runId).cancel()));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && (await countRuns(client, taskQueue)).running > 0) await sleep(2_000);
  return running.length;
}

/** Every build and every pipeline job the soak's emulator holds. */
export async function listCloudWork(
  builds: CloudBuild,
  pipelines: VertexPipelines,
): Promise<Pick<SoakObservations, 'builds' | 'jobs'>> {
  const [allBuilds, allJobs] = await Promise.all([
    builds.listBuildsByTag('conveyor'),
    pipelines.listPipelineJobs(),
  ]);
  return {
    builds: allBuilds.map((b) => ({ id: b.id, status: b.status })),
    jobs: allJobs.map((j) => ({ name: j.name, state: j.state })),
  };
}
