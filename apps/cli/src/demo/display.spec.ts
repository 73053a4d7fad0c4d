import { describe, expect, it } from 'vitest';
import type { RunStatus } from '@conveyor/contracts';
import { clock } from '../common/table.ts';
import {
  fitToWidth,
  LiveDisplay,
  plainLine,
  renderBlock,
  shortenNote,
  stageStrip,
  taskLine,
} from './display.ts';

const base: RunStatus = {
  runId: 'penguins-1',
  pipeline: 'penguins',
  trigger: { kind: 'pubsub', id: '1', at: '2026-11-26T00:00:00Z' },
  timings: {},
  stage: 'running',
  tasks: [
    { name: 'penguins', state: 'RUNNING' },
    { name: 'example-gen', state: 'SUCCEEDED' },
    { name: 'trainer', state: 'RUNNING' },
  ],
};

/** A write stream stand-in that records what was written. */
function sink(): NodeJS.WriteStream & { text: string } {
  const s = { text: '', isTTY: false, write: (chunk: string) => ((s.text += chunk), true) };
  return s as unknown as NodeJS.WriteStream & { text: string };
}

describe('demo display', () => {
  it('shows the stage strip, the tasks without the root DAG, and a clock', () => {
    expect(clock(65_400)).toBe('1:05');
    expect(stageStrip('compiling')).toBe(
      '✓ resolve  ✓ build  ▸ compile  · upload  · submit  · pipeline  · collect  · report',
    );
    expect(stageStrip('succeeded')).not.toContain('·');
    expect(taskLine(base)).toBe('example-gen SUCCEEDED · trainer RUNNING');
    const block = renderBlock({
      workflowId: 'penguins-1',
      elapsedMs: 42_000,
      status: base,
      note: 'pipeline job x RUNNING',
    });
    expect(block).toEqual([
      'penguins-1  ·  running  ·  elapsed 0:42',
      '  ✓ resolve  ✓ build  ✓ compile  ✓ upload  ✓ submit  ▸ pipeline  · collect  · report',
      '  pipeline job x RUNNING',
      '  tasks: example-gen SUCCEEDED · trainer RUNNING',
    ]);
    expect(
      plainLine({
        workflowId: 'w',
        elapsedMs: 3_000,
        status: { ...base, stage: 'building', tasks: [] },
        note: "build 7 WORKING, step 'Bundle' working",
      }),
    ).toBe("[0:03] building  build 7 WORKING, step 'Bundle' working");
  });

  it('prints plain lines only when the news changes (no escape codes off a terminal)', () => {
    const out = sink();
    const display = new LiveDisplay(out, 'penguins-1', Date.now(), false);
    display.update({ ...base, stage: 'building', tasks: [] }, 'build 7 QUEUED');
    display.update(undefined, 'build 7 QUEUED');
    display.update(undefined, 'build 7 WORKING');
    display.stop();
    const lines = out.text.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^\[0:0\d\] building {2}build 7 WORKING$/);
    expect(out.text).not.toContain('\x1b');
  });

  it('keeps terminal lines from wrapping: short job ids, lines cut to the width', () => {
    expect(
      shortenNote(
        'pipeline job projects/p/locations/us-central1/pipelineJobs/penguins-m0 PIPELINE_STATE_RUNNING',
      ),
    ).toBe('pipeline job penguins-m0 PIPELINE_STATE_RUNNING');
    expect(fitToWidth('x'.repeat(100), 80)).toHaveLength(79);
    expect(fitToWidth('short', 80)).toBe('short');
    expect(fitToWidth('no width known', undefined)).toBe('no width known');
  });

  it('redraws the block in place on a terminal', () => {
    const out = sink();
    const display = new LiveDisplay(out, 'penguins-1', Date.now(), true);
    display.update(base, 'x');
    display.update(base, 'y');
    display.stop();
    expect(out.text).toContain('\x1b[4A');
  });
});
