import { describe, expect, it } from 'vitest';
import { NothingMeasuredError } from './stats.ts';
import { waitReport, type WaitSamples } from './wait-cost-report.ts';

const samples: WaitSamples = {
  started: 1000,
  runningAtOnce: 1000,
  completed: 1000,
  activitySlots: 10,
  activitiesInFlightMax: 4,
  cachedWorkflowsMax: 1000,
  rssIdleBytes: 300e6,
  rssPeakBytes: 420.04e6,
};

describe('waitReport', () => {
  it('reports runs waiting at once, slots used and memory in MB', () => {
    const { rssIdleBytes: _idle, rssPeakBytes: _peak, ...counts } = samples;
    expect(waitReport(samples)).toEqual({ ...counts, rssMb: { idle: 300, peakWithWaitingRuns: 420 } });
  });

  it('refuses to report a run that measured nothing', () => {
    expect(() => waitReport({ ...samples, runningAtOnce: 0 })).toThrow(NothingMeasuredError);
    expect(() => waitReport({ ...samples, rssPeakBytes: 0 })).toThrow(/nothing was measured/);
  });
});
