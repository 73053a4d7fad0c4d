// The figures of bench/src/bridge.ts, from what it published and the runs it listed. Pure, so the unit
// test can hold the report to its promise: it refuses to report a run that measured nothing.
//
// A run is matched to its message by the bridge's own decoder: the run's memo records the trigger
// (message id and publish time), and `decodeMessage` — the function the bridge runs — must map that
// message to exactly the run's workflow id. Whatever the bridge's id scheme becomes, the bench follows.
import { decodeMessage } from '@conveyor/bridge/decode';
import { NothingMeasuredError, summarize, type Summary } from './stats.ts';

/** A message the benchmark published. */
export interface PublishedMessage {
  /** Epoch ms just before `publishMessage` was called. */
  readonly sentAt: number;
  readonly data: Buffer;
  readonly attributes: Readonly<Record<string, string>>;
}

/** A run as listed from Temporal visibility. */
export interface ListedRun {
  readonly workflowId: string;
  /** Epoch ms the server started the run. */
  readonly startTime: number;
  /** `trigger` of the request in the run's memo. */
  readonly trigger?: { readonly id: string; readonly at: string } | undefined;
}

/** What the bridge bench prints for its bridge pass. */
export interface BridgeReport {
  readonly messages: number;
  /** Messages published per second; `all at once` for a backlog. */
  readonly rate: number | 'all at once';
  /** Runs matched to a published message. */
  readonly runs: number;
  /** Listed runs that matched no published message (should be 0). */
  readonly unmatched: number;
  readonly publishSeconds: number;
  /** Publish call → workflow started (server time), ms. */
  readonly latencyMs: Summary;
  /** Matched runs ÷ seconds between the first and the last start. */
  readonly startsPerSecond: number;
}

/**
 * The workflow id the bridge gives a message, as the bridge decides it: the decoder with the local
 * stack's options (the emulator restarts message ids, so keys carry the publish time).
 */
export function bridgeWorkflowId(
  message: PublishedMessage & { id: string; publishTime: Date },
): string | undefined {
  const decoded = decodeMessage(
    { id: message.id, data: message.data, attributes: message.attributes, publishTime: message.publishTime },
    {
      defaultPipeline: 'penguins',
      maxMessageBytes: Math.max(message.data.length, 16),
      repoUrl: '/tmp/bench-repo',
      defaultBranch: 'main',
      triggerKind: 'pubsub',
      messageIdsRestart: true,
    },
  );
  return decoded.ok ? decoded.workflowId : undefined;
}

/** Rounds to hundredths, as the benchmarks print rates and seconds. */
export function round(x: number): number {
  return Math.round(x * 100) / 100;
}

/**
 * The bridge pass's figures.
 * @throws NothingMeasuredError when no listed run matched a published message
 */
export function bridgeReport(input: {
  readonly rate: number;
  readonly publishSeconds: number;
  readonly published: ReadonlyMap<string, PublishedMessage>;
  readonly runs: readonly ListedRun[];
}): BridgeReport {
  const latencies: number[] = [];
  const starts: number[] = [];
  let unmatched = 0;
  for (const run of input.runs) {
    const message = run.trigger && input.published.get(run.trigger.id);
    const matches =
      message !== undefined &&
      run.trigger !== undefined &&
      bridgeWorkflowId({ ...message, id: run.trigger.id, publishTime: new Date(run.trigger.at) }) ===
        run.workflowId;
    if (!matches || message === undefined) {
      unmatched++;
      continue;
    }
    latencies.push(run.startTime - message.sentAt);
    starts.push(run.startTime);
  }
  if (latencies.length === 0) {
    throw new NothingMeasuredError(
      `no run matched a published message (${input.runs.length} runs listed, ${input.published.size} published): nothing was measured`,
    );
  }
  starts.sort((a, b) => a - b);
  const span = (starts.at(-1)! - starts[0]!) / 1000;
  return {
    messages: input.published.size,
    rate: Number.isFinite(input.rate) ? input.rate : 'all at once',
    runs: latencies.length,
    unmatched,
    publishSeconds: round(input.publishSeconds),
    latencyMs: summarize(latencies),
    startsPerSecond: round(latencies.length / Math.max(span, 0.001)),
  };
}
