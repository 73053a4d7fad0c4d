import { describe, expect, it } from 'vitest';
import { formatRunTable, listQuery, type RunRow } from './list.ts';

describe('runs list', () => {
  it('--status takes the names the list prints, in any case', () => {
    expect(listQuery({ status: 'CANCELLED' })).toBe(
      "WorkflowType = 'trainingRun' AND ExecutionStatus = 'Canceled'",
    );
    expect(listQuery({ status: 'timed_out', pipeline: 'penguins' })).toBe(
      "WorkflowType = 'trainingRun' AND ConveyorPipeline = 'penguins' AND ExecutionStatus = 'TimedOut'",
    );
    expect(() => listQuery({ status: 'Canceled' })).toThrow(
      /--status: 'Canceled' is not one of RUNNING, COMPLETED, FAILED, CANCELLED/,
    );
    expect(() => listQuery({ pipeline: "x' OR 1=1" })).toThrow(/--pipeline/);
  });

  it('shows parameters, the key metric, duration and trigger', () => {
    const row: RunRow = {
      runId: 'penguins-1',
      executionRunId: 'e',
      status: 'COMPLETED',
      pipeline: 'penguins',
      trigger: 'pubsub',
      commit: 'c',
      parameters: { num_epochs: 3, learning_rate: 0.01 },
      metric: { name: 'accuracy', value: 0.97014925 },
      startTime: '2026-01-01T00:00:00.123Z',
      closeTime: '2026-01-01T00:01:05.000Z',
      durationMs: 64_877,
    };
    expect(formatRunTable([row]).split('\n')).toEqual([
      'RUN ID      STATUS     TRIGGER  PARAMETERS                       METRIC           DURATION  STARTED',
      'penguins-1  COMPLETED  pubsub   num_epochs=3 learning_rate=0.01  accuracy=0.9701  1:04      2026-01-01T00:00:00Z',
    ]);
    expect(formatRunTable([{ ...row, parameters: {}, metric: undefined }])).toMatch(/defaults\s+-\s+1:04/);
    expect(formatRunTable([])).toBe('no runs');
  });
});
