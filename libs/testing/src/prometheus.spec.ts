import { describe, expect, it } from 'vitest';
import { family, parsePrometheus } from './prometheus.ts';

const text = `# HELP runs Runs.
# TYPE runs counter
runs{pipeline="a",outcome="ok"} 2
runs{pipeline="b",outcome="failed"} 1
# HELP stage Stage seconds.
# TYPE stage histogram
stage_bucket{pipeline="a",stage="build",le="1"} 0
stage_bucket{pipeline="a",stage="build",le="10"} 1
stage_bucket{pipeline="a",stage="build",le="+Inf"} 1
stage_sum{pipeline="a",stage="build"} 4.5
stage_count{pipeline="a",stage="build"} 1
stage_bucket{pipeline="a",stage="run",le="1"} 1
stage_bucket{pipeline="a",stage="run",le="10"} 2
stage_bucket{pipeline="a",stage="run",le="+Inf"} 2
stage_sum{pipeline="a",stage="run"} 3
stage_count{pipeline="a",stage="run"} 2
`;

describe('parsePrometheus', () => {
  it('reads labelled counters and every series of a labelled histogram', () => {
    const families = parsePrometheus(text);
    expect(family(families, 'runs').metrics).toEqual([
      { labels: { pipeline: 'a', outcome: 'ok' }, value: '2' },
      { labels: { pipeline: 'b', outcome: 'failed' }, value: '1' },
    ]);
    expect(family(families, 'stage')).toMatchObject({ type: 'HISTOGRAM' });
    expect(family(families, 'stage').metrics).toEqual([
      {
        labels: { pipeline: 'a', stage: 'build' },
        buckets: { '1': '0', '10': '1', '+Inf': '1' },
        sum: '4.5',
        count: '1',
      },
      {
        labels: { pipeline: 'a', stage: 'run' },
        buckets: { '1': '1', '10': '2', '+Inf': '2' },
        sum: '3',
        count: '2',
      },
    ]);
  });

  it('rejects a malformed line and names a missing family', () => {
    expect(() => parsePrometheus('# TYPE x counter\nx{le="1" 2\n')).toThrow();
    expect(() => family(parsePrometheus(text), 'nope')).toThrow(/no metric family nope; have: runs, stage/);
  });
});
