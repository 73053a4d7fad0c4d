import { describe, expect, it } from 'vitest';
import type { JobRecord } from './job-model.ts';
import { compileFilter, compileOrderBy } from './list-query.ts';

function job(
  id: string,
  state: JobRecord['state'],
  labels: Record<string, string>,
  createTime: string,
): JobRecord {
  return {
    name: `projects/p/locations/l/pipelineJobs/${id}`,
    jobId: id,
    project: 'p',
    location: 'l',
    displayName: id,
    labels,
    state,
    createTime,
    updateTime: createTime,
    pipelineSpec: { pipelineInfo: { name: 'penguins' } },
    runtimeConfig: {},
    parameterValues: {},
    pipelineRoot: 'gs://b/r',
    failurePolicy: 'FAIL_SLOW',
    serviceAccount: '',
    tasks: [],
  };
}

const jobs = [
  job('a', 'PIPELINE_STATE_SUCCEEDED', { team: 'ml', run: '1' }, '2026-01-01T00:00:00.000Z'),
  job('b', 'PIPELINE_STATE_FAILED', { team: 'ml' }, '2026-01-02T00:00:00.000Z'),
  job('c', 'PIPELINE_STATE_SUCCEEDED', { team: 'ops' }, '2026-01-03T00:00:00.000Z'),
];
const ids = (filter: string): string[] => jobs.filter(compileFilter(filter)).map((j) => j.jobId);

describe('ListPipelineJobs filter', () => {
  it('filters by state, labels, names and times with AND / OR / NOT', () => {
    expect(ids('')).toEqual(['a', 'b', 'c']);
    expect(ids('state="PIPELINE_STATE_SUCCEEDED"')).toEqual(['a', 'c']);
    expect(ids('state="PIPELINE_STATE_SUCCEEDED" AND labels.team="ml"')).toEqual(['a']);
    expect(ids('labels.team="ops" OR state="PIPELINE_STATE_FAILED"')).toEqual(['b', 'c']);
    expect(ids('labels.run:*')).toEqual(['a']);
    expect(ids('NOT labels.team="ml"')).toEqual(['c']);
    expect(ids('pipeline_name="penguins" AND create_time>"2026-01-01T12:00:00Z"')).toEqual(['b', 'c']);
    expect(ids('display_name="b"')).toEqual(['b']);
  });

  it('rejects unknown fields and unparsable terms', () => {
    expect(() => compileFilter('colour="red"')).toThrow('unsupported field "colour"');
    expect(() => compileFilter('state ~ x')).toThrow('cannot parse');
  });

  it('orders newest first by default, and by the fields given', () => {
    expect([...jobs].sort(compileOrderBy('')).map((j) => j.jobId)).toEqual(['c', 'b', 'a']);
    expect([...jobs].sort(compileOrderBy('create_time')).map((j) => j.jobId)).toEqual(['a', 'b', 'c']);
    expect(() => compileOrderBy('colour desc')).toThrow('unsupported field');
  });
});
