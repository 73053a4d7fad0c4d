// The demo's trigger: the original system's message on the topic, and the run the bridge started for it.
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { PubSub } from '@google-cloud/pubsub';
import { TriggerKeyNamespaces, triggerWorkflowId } from '@conveyor/contracts';
import { WorkflowNotFoundError, type Client, type WorkflowHandle } from '@temporalio/client';

/** The original system's publisher sent exactly this body. */
export const ORIGINAL_MESSAGE = '{"num_epochs": 3, "learning_rate": 1e-2}';

/** A step of the demo did not happen in time; says which. */
export class DemoTimeoutError extends Error {
  override readonly name = 'DemoTimeoutError';
}

/**
 * Waits until the bridge's subscription exists: a message published to a topic without a
 * subscription is dropped, and the bridge creates it at start.
 */
export async function waitForSubscription(
  pubsub: PubSub,
  subscription: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const [exists] = await pubsub.subscription(subscription).exists();
    if (exists) return;
    await sleep(250);
  }
  throw new DemoTimeoutError(
    `subscription '${subscription}' does not exist after ${timeoutMs / 1000}s: is the bridge running?`,
  );
}

/**
 * A run key for the demo's message. The bridge names runs `<pipeline>-key-<runKey>` (or
 * `<pipeline>-msg-<messageId>`); the Pub/Sub emulator numbers messages m0, m1, … afresh after each
 * restart while Temporal keeps its history, so a message id alone could name an old run (and be
 * acked as its duplicate).
 */
export function demoRunKey(now: Date): string {
  return `demo-${now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')}-${randomBytes(2).toString('hex')}`;
}

/** Publishes the message with its run key; returns the message id. */
export async function publish(pubsub: PubSub, topic: string, body: string, runKey: string): Promise<string> {
  return pubsub.topic(topic).publishMessage({ data: Buffer.from(body), attributes: { runKey } });
}

/** Waits until the run the bridge started (`workflowId`) exists. */
export async function findRun(
  client: Client,
  workflowId: string,
  timeoutMs: number,
): Promise<WorkflowHandle> {
  const handle = client.workflow.getHandle(workflowId);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      await handle.describe();
      return handle;
    } catch (e: unknown) {
      if (!(e instanceof WorkflowNotFoundError)) throw e;
    }
    await sleep(200);
  }
  throw new DemoTimeoutError(
    `no run '${workflowId}' ${timeoutMs / 1000}s after publishing: see the bridge log`,
  );
}

/** The run the demo's message started, and when. */
export interface TriggeredRun {
  readonly handle: WorkflowHandle;
  readonly messageId: string;
  readonly runKey: string;
  readonly publishedAt: number;
  readonly startedAt: number;
}

/**
 * Publishes `message` once the bridge's subscription exists and waits for the run the bridge starts
 * for it (`<pipeline>-key-<runKey>`). `step` lets Ctrl-C interrupt each wait.
 */
export async function triggerRun(
  target: { pubsub: PubSub; client: Client; topic: string; subscription: string; pipeline: string },
  message: string,
  timeouts: { subscriptionMs: number; startMs: number },
  step: <T>(work: Promise<T>) => Promise<T>,
  say: (line: string) => void,
  onRunId: (workflowId: string) => void,
): Promise<TriggeredRun> {
  await step(waitForSubscription(target.pubsub, target.subscription, timeouts.subscriptionMs));
  const publishedAt = Date.now();
  const runKey = demoRunKey(new Date(publishedAt));
  const messageId = await publish(target.pubsub, target.topic, message, runKey);
  say(`published ${message} to ${target.topic} (message ${messageId}, runKey ${runKey})`);
  const workflowId = triggerWorkflowId(target.pipeline, TriggerKeyNamespaces.runKey, runKey);
  onRunId(workflowId);
  const handle = await step(findRun(target.client, workflowId, timeouts.startMs));
  return { handle, messageId, runKey, publishedAt, startedAt: Date.now() };
}
