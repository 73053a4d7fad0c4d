import { describe, expect, it } from 'vitest';
import { decodeMessage } from '@conveyor/bridge/decode';
import { bridgeReport, type ListedRun, type PublishedMessage } from './bridge-report.ts';
import { NothingMeasuredError } from './stats.ts';

const body = Buffer.from(JSON.stringify({ num_epochs: 3, learning_rate: 0.01 }));
const publishTime = (i: number): Date => new Date(Date.UTC(2026, 11, 2, 1, 0, 0, 7 * i));

function published(n: number): Map<string, PublishedMessage> {
  return new Map(
    Array.from({ length: n }, (_, i) => [`${i + 1}`, { sentAt: 1_000 + 20 * i, data: body, attributes: {} }]),
  );
}

/** The run the bridge starts for message i, with the id the bridge's decoder gives it (as the stack runs it). */
function bridgeRun(i: number, startDelayMs: number): ListedRun {
  const decoded = decodeMessage(
    { id: `${i + 1}`, data: body, attributes: {}, publishTime: publishTime(i) },
    {
      defaultPipeline: 'penguins',
      maxMessageBytes: 64 * 1024,
      repoUrl: '/somewhere/else',
      defaultBranch: 'main',
      triggerKind: 'pubsub',
      messageIdsRestart: true,
    },
  );
  if (!decoded.ok) throw new Error(decoded.detail);
  return {
    workflowId: decoded.workflowId,
    startTime: 1_000 + 20 * i + startDelayMs,
    trigger: { id: `${i + 1}`, at: publishTime(i).toISOString() },
  };
}

describe('bridgeReport', () => {
  it('matches each run the bridge started to its message and reports publish → started', () => {
    const runs = Array.from({ length: 10 }, (_, i) => bridgeRun(i, 10 + i));
    const report = bridgeReport({ rate: 50, publishSeconds: 0.2, published: published(10), runs });
    expect(report).toMatchObject({ messages: 10, runs: 10, unmatched: 0, rate: 50 });
    expect(report.latencyMs).toMatchObject({ n: 10, min: 10, p50: 14, max: 19 });
    // 10 starts over (9 × 20 + 9) ms
    expect(report.startsPerSecond).toBeCloseTo(10 / 0.189, 1);
  });

  it('counts runs whose id is not the one the bridge gives their message as unmatched', () => {
    const runs = [bridgeRun(0, 5), { ...bridgeRun(1, 5), workflowId: 'penguins-msg-2' }];
    const report = bridgeReport({ rate: 50, publishSeconds: 0.1, published: published(2), runs });
    expect(report).toMatchObject({ runs: 1, unmatched: 1 });
  });

  it('refuses to report a run that measured nothing', () => {
    expect(() => bridgeReport({ rate: 50, publishSeconds: 1, published: published(5), runs: [] })).toThrow(
      NothingMeasuredError,
    );
    // What broke the bench before: runs keyed by message id + publish time, looked up by message id.
    const stale = Array.from({ length: 5 }, (_, i) => ({ ...bridgeRun(i, 5), trigger: undefined }));
    expect(() => bridgeReport({ rate: 50, publishSeconds: 1, published: published(5), runs: stale })).toThrow(
      /no run matched a published message \(5 runs listed, 5 published\)/,
    );
  });
});
