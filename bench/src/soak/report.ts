// The figures of bench/src/soak.ts from what it observed (pure, so a unit test holds it to its
// promise): every valid message ends in exactly one run, every invalid one in a dead letter, and no
// build or pipeline job is left running once every run has ended.
import { pipelineJobIdFor } from '@conveyor/contracts';
import { terminalBuildStatuses, terminalPipelineStates } from '@conveyor/gcp';
import type { MessageKind } from './plan.ts';

/** A message as published: its plan and the id Pub/Sub gave it. */
export interface PublishedMessage {
  readonly messageId: string;
  readonly kind: MessageKind;
  readonly runKey?: string | undefined;
  readonly expectedReason?: string | undefined;
}

/** A `trainingRun` execution found on the soak's task queue. */
export interface ObservedRun {
  readonly workflowId: string;
  readonly runId: string;
  /** `request.trigger.id` from its memo: the id of the message that started it. */
  readonly triggerId?: string | undefined;
  /** Final status name: COMPLETED, FAILED, CANCELED, … */
  readonly status: string;
}

/** A message read from the dead-letter subscription. */
export interface ObservedDeadLetter {
  readonly originalMessageId?: string | undefined;
  /** The bridge's `reason`; undefined when Pub/Sub's own dead-letter policy forwarded it. */
  readonly reason?: string | undefined;
}

/** What the chaos did. */
export interface ChaosFigures {
  readonly workerKills: number;
  readonly bridgeKills: number;
  /** Chance of UNAVAILABLE on every emulator RPC. */
  readonly faultRate: number;
  /** Children that exited without being killed (each was restarted). */
  readonly unexpectedExits: number;
}

/** Everything the soak observed. */
export interface SoakObservations {
  readonly published: readonly PublishedMessage[];
  readonly runs: readonly ObservedRun[];
  readonly deadLetters: readonly ObservedDeadLetter[];
  readonly builds: readonly { readonly id: string; readonly status: string }[];
  readonly jobs: readonly { readonly name: string; readonly state: string }[];
  /** Runs the soak had to cancel because they had not ended by its deadline. */
  readonly cancelledAtDeadline: number;
  readonly chaos: ChaosFigures;
}

/** What the soak prints (besides its settings and timings). */
export interface SoakReport {
  readonly messages: {
    readonly published: number;
    readonly keyed: number;
    readonly unkeyed: number;
    readonly repeatedKeys: number;
    readonly invalid: number;
    /** Distinct keys among the valid messages: the runs there must be. */
    readonly expectedRuns: number;
  };
  readonly runsStarted: number;
  readonly runsCompleted: number;
  readonly runsByStatus: Readonly<Record<string, number>>;
  readonly cancelledAtDeadline: number;
  /**
   * Runs still running when the soak looked at the cloud work: their builds and jobs may still
   * change, so the orphan count is not final and the targets are not met.
   */
  readonly unfinishedRuns: number;
  readonly deadLetters: {
    readonly total: number;
    readonly byReason: Readonly<Record<string, number>>;
    /** Invalid messages with no dead letter. */
    readonly invalidWithout: number;
    /** Dead letters whose reason is not the one the message was built for. */
    readonly wrongReason: number;
    /** Dead letters of valid messages (such a message was refused). */
    readonly ofValidMessages: number;
    /** Second and later dead letters of one message (at-least-once redelivery after a kill). */
    readonly repeated: number;
  };
  /** Valid messages whose key has no run. */
  readonly lost: number;
  /** Keys with more than one run. */
  readonly duplicateRuns: number;
  /** Runs started by an invalid message, or by no message of this soak. */
  readonly unexpectedRuns: number;
  readonly builds: { readonly total: number; readonly perRun: number };
  readonly jobs: {
    readonly total: number;
    readonly perRun: number;
    /** Completed runs with no job of their own. */
    readonly completedRunsWithoutJob: number;
    readonly runsWithSeveralJobs: number;
    /** Jobs no run owns. */
    readonly stray: number;
  };
  /** Builds and jobs still running after every run ended. */
  readonly orphans: { readonly builds: number; readonly jobs: number; readonly examples: readonly string[] };
  readonly chaos: ChaosFigures;
  readonly examples: { readonly lost: readonly string[]; readonly duplicates: readonly string[] };
  /** lost 0, duplicate runs 0, orphans 0, every run ended (and nothing unexpected). */
  readonly targetsMet: boolean;
}

/** An empty measurement: the soak did not measure what it claims to. */
export class NothingMeasuredError extends Error {
  override readonly name = 'NothingMeasuredError';
}

/** How many examples of a problem the report lists. */
const EXAMPLES = 10;

function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

/** The key a valid message must end in one run of: its run key, else its own message id. */
function keyOf(m: PublishedMessage): string {
  return m.runKey === undefined ? `message:${m.messageId}` : `runKey:${m.runKey}`;
}

/** What a soak of `published` must end with: one run per distinct valid key, one dead letter per invalid message. */
export function expectations(published: readonly PublishedMessage[]): {
  expectedRuns: number;
  expectedDeadLetters: number;
} {
  return {
    expectedRuns: new Set(published.filter((m) => m.kind !== 'invalid').map(keyOf)).size,
    expectedDeadLetters: published.filter((m) => m.kind === 'invalid').length,
  };
}

/**
 * The soak's report.
 * @throws NothingMeasuredError when nothing was published or no run started (a broken setup, not a pass)
 */
export function soakReport(o: SoakObservations): SoakReport {
  if (o.published.length === 0 || o.runs.length === 0) {
    throw new NothingMeasuredError(
      `${o.published.length} messages published, ${o.runs.length} runs seen: nothing was measured`,
    );
  }
  const byId = new Map(o.published.map((m) => [m.messageId, m]));
  const valid = o.published.filter((m) => m.kind !== 'invalid');
  const invalid = o.published.filter((m) => m.kind === 'invalid');

  const runsByKey = new Map<string, ObservedRun[]>();
  let unexpectedRuns = 0;
  for (const run of o.runs) {
    const message = run.triggerId === undefined ? undefined : byId.get(run.triggerId);
    if (message === undefined || message.kind === 'invalid') {
      unexpectedRuns++;
      continue;
    }
    const key = keyOf(message);
    runsByKey.set(key, [...(runsByKey.get(key) ?? []), run]);
  }
  const lostMessages = valid.filter((m) => !runsByKey.has(keyOf(m)));
  const duplicateKeys = [...runsByKey].filter(([, runs]) => runs.length > 1).map(([key]) => key);

  const deadLettered = countBy(
    o.deadLetters.filter((d) => d.originalMessageId !== undefined),
    (d) => d.originalMessageId!,
  );
  const wrongReason = o.deadLetters.filter((d) => {
    const message = d.originalMessageId === undefined ? undefined : byId.get(d.originalMessageId);
    return message?.kind === 'invalid' && d.reason !== message.expectedReason;
  }).length;

  const jobIds = countBy(o.jobs, (j) => j.name.slice(j.name.lastIndexOf('/') + 1));
  const ownJobs = o.runs.map((r) => jobIds[pipelineJobIdFor(r.workflowId, r.runId)] ?? 0);
  const owned = new Set(o.runs.map((r) => pipelineJobIdFor(r.workflowId, r.runId)));
  const runningBuilds = o.builds.filter((b) => !terminalBuildStatuses.has(b.status));
  const runningJobs = o.jobs.filter((j) => !terminalPipelineStates.has(j.state));

  const lost = lostMessages.length;
  const duplicateRuns = duplicateKeys.length;
  const orphans = runningBuilds.length + runningJobs.length;
  const unfinishedRuns = o.runs.filter((r) => r.status === 'RUNNING').length;
  return {
    messages: {
      published: o.published.length,
      keyed: o.published.filter((m) => m.kind === 'keyed').length,
      unkeyed: o.published.filter((m) => m.kind === 'unkeyed').length,
      repeatedKeys: o.published.filter((m) => m.kind === 'repeat').length,
      invalid: invalid.length,
      expectedRuns: expectations(o.published).expectedRuns,
    },
    runsStarted: o.runs.length,
    runsCompleted: o.runs.filter((r) => r.status === 'COMPLETED').length,
    runsByStatus: countBy(o.runs, (r) => r.status),
    cancelledAtDeadline: o.cancelledAtDeadline,
    unfinishedRuns,
    deadLetters: {
      total: o.deadLetters.length,
      byReason: countBy(o.deadLetters, (d) => d.reason ?? '(none: Pub/Sub dead-letter policy)'),
      invalidWithout: invalid.filter((m) => deadLettered[m.messageId] === undefined).length,
      wrongReason,
      ofValidMessages: valid.filter((m) => deadLettered[m.messageId] !== undefined).length,
      repeated: Object.values(deadLettered).reduce((sum, n) => sum + n - 1, 0),
    },
    lost,
    duplicateRuns,
    unexpectedRuns,
    builds: { total: o.builds.length, perRun: o.builds.length / o.runs.length },
    jobs: {
      total: o.jobs.length,
      perRun: o.jobs.length / o.runs.length,
      completedRunsWithoutJob: o.runs.filter((r, i) => r.status === 'COMPLETED' && ownJobs[i] === 0).length,
      runsWithSeveralJobs: ownJobs.filter((n) => n > 1).length,
      stray: Object.keys(jobIds).filter((id) => !owned.has(id)).length,
    },
    orphans: {
      builds: runningBuilds.length,
      jobs: runningJobs.length,
      examples: [
        ...runningBuilds.map((b) => `build ${b.id} ${b.status}`),
        ...runningJobs.map((j) => `job ${j.name} ${j.state}`),
      ].slice(0, EXAMPLES),
    },
    chaos: o.chaos,
    examples: {
      lost: lostMessages.slice(0, EXAMPLES).map((m) => `${m.kind} ${m.messageId} (${keyOf(m)})`),
      duplicates: duplicateKeys
        .slice(0, EXAMPLES)
        .map(
          (key) =>
            `${key}: ${(runsByKey.get(key) ?? []).map((r) => `${r.workflowId}/${r.runId}`).join(', ')}`,
        ),
    },
    targetsMet:
      lost === 0 && duplicateRuns === 0 && orphans === 0 && unexpectedRuns === 0 && unfinishedRuns === 0,
  };
}
