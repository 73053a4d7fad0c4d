import { describe, expect, it } from 'vitest';
import { parseBuildFilter, type FilterableBuild } from './list-filter.ts';

const build = (over: Partial<FilterableBuild>): FilterableBuild => ({
  id: 'b1',
  status: 'SUCCESS',
  tags: [],
  triggerId: '',
  images: [],
  projectId: 'p',
  createTime: '2026-01-02T00:00:00Z',
  startTime: '',
  finishTime: '',
  substitutions: {},
  ...over,
});

describe('parseBuildFilter', () => {
  const a = build({ id: 'a', tags: ['train', 'run-1'], status: 'SUCCESS' });
  const b = build({ id: 'b', tags: ['train'], status: 'FAILURE', triggerId: 't1' });
  const c = build({ id: 'c', tags: ['other'], status: 'WORKING', createTime: '2026-03-01T00:00:00Z' });
  const ids = (filter: string): string[] => [a, b, c].filter(parseBuildFilter(filter)).map((x) => x.id);

  it('filters by tags, status and their AND / OR combinations', () => {
    expect(ids('')).toEqual(['a', 'b', 'c']);
    expect(ids('tags="train"')).toEqual(['a', 'b']);
    expect(ids('tags="train" AND status="SUCCESS"')).toEqual(['a']);
    expect(ids('status="WORKING" OR trigger_id="t1"')).toEqual(['b', 'c']);
    expect(ids('NOT status="SUCCESS" AND (tags=train OR tags=other)')).toEqual(['b', 'c']);
    expect(ids('create_time>"2026-02-01T00:00:00Z"')).toEqual(['c']);
  });

  it('rejects unknown fields and bad syntax with INVALID_ARGUMENT', () => {
    expect(() => parseBuildFilter('colour="red"')).toThrow(/unsupported field "colour"/);
    expect(() => parseBuildFilter('status=')).toThrow(/invalid filter/);
  });
});
