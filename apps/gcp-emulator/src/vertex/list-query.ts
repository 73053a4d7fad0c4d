/**
 * ListPipelineJobs `filter` (AIP-160 subset: `field op "value"` terms joined by AND / OR, OR binding
 * tighter, as AIP-160 says) and `orderBy` (`create_time desc, display_name`).
 */
import { invalidArgument } from './errors.ts';
import type { JobRecord } from './job-model.ts';

type Op = '=' | '!=' | ':' | '<' | '>' | '<=' | '>=';

const TERM = /^([a-zA-Z_][\w.]*|labels\.[\w-]+)\s*(!=|<=|>=|=|:|<|>)\s*(?:"((?:[^"\\]|\\.)*)"|(\S+))$/;

/** A predicate over jobs for a filter string (empty filter: everything). @throws RpcError INVALID_ARGUMENT */
export function compileFilter(filter: string): (job: JobRecord) => boolean {
  const text = filter.trim();
  if (!text) return () => true;
  const clauses = text.split(/\s+AND\s+/).map((clause) =>
    clause
      .replace(/^\(\s*|\s*\)$/g, '')
      .split(/\s+OR\s+/)
      .map((term) => compileTerm(term.trim().replace(/^\(\s*|\s*\)$/g, ''), filter)),
  );
  return (job) => clauses.every((alternatives) => alternatives.some((test) => test(job)));
}

function compileTerm(term: string, filter: string): (job: JobRecord) => boolean {
  const negated = /^NOT\s+/.test(term);
  const m = TERM.exec(term.replace(/^NOT\s+/, ''));
  if (!m?.[1] || !m[2]) throw invalidArgument(`Invalid filter "${filter}": cannot parse "${term}".`);
  const field = m[1];
  const op = m[2] as Op;
  const value = m[3] !== undefined ? m[3].replace(/\\(.)/g, '$1') : (m[4] ?? '');
  const read = accessor(field, filter);
  const test = (job: JobRecord): boolean => compare(read(job), op, value);
  return negated ? (job) => !test(job) : test;
}

function accessor(field: string, filter: string): (job: JobRecord) => string | undefined {
  if (field.startsWith('labels.')) {
    const key = field.slice('labels.'.length);
    return (job) => job.labels[key];
  }
  switch (field) {
    case 'state':
      return (job) => job.state;
    case 'display_name':
    case 'displayName':
      return (job) => job.displayName;
    case 'pipeline_name':
      return (job) => String((job.pipelineSpec['pipelineInfo'] as { name?: string } | undefined)?.name ?? '');
    case 'pipeline_job_user_id':
      return (job) => job.jobId;
    case 'create_time':
    case 'update_time':
    case 'start_time':
    case 'end_time': {
      const key = camel(field) as 'createTime' | 'updateTime' | 'startTime' | 'endTime';
      return (job) => job[key];
    }
    default:
      throw invalidArgument(`Invalid filter "${filter}": unsupported field "${field}".`);
  }
}

function compare(actual: string | undefined, op: Op, expected: string): boolean {
  if (op === ':')
    return expected === '*' ? actual !== undefined : actual !== undefined && actual.includes(expected);
  if (actual === undefined) return op === '!=';
  // Times compare as instants; everything else as strings.
  const a = Date.parse(actual);
  const b = Date.parse(expected);
  const numeric = /^\d{4}-\d\d-\d\dT/.test(actual) && !Number.isNaN(b);
  const cmp = numeric ? Math.sign(a - b) : actual < expected ? -1 : actual > expected ? 1 : 0;
  switch (op) {
    case '=':
      return cmp === 0;
    case '!=':
      return cmp !== 0;
    case '<':
      return cmp < 0;
    case '>':
      return cmp > 0;
    case '<=':
      return cmp <= 0;
    case '>=':
      return cmp >= 0;
  }
}

/** A comparator for `orderBy` (default: newest first). @throws RpcError INVALID_ARGUMENT */
export function compileOrderBy(orderBy: string): (a: JobRecord, b: JobRecord) => number {
  const keys = (orderBy.trim() || 'create_time desc').split(',').map((part) => {
    const [field = '', direction = 'asc'] = part.trim().split(/\s+/);
    if (!['create_time', 'update_time', 'start_time', 'end_time', 'display_name', 'name'].includes(field)) {
      throw invalidArgument(`Invalid orderBy "${orderBy}": unsupported field "${field}".`);
    }
    if (direction !== 'asc' && direction !== 'desc')
      throw invalidArgument(`Invalid orderBy "${orderBy}": "${direction}".`);
    const key = camel(field) as keyof JobRecord;
    return { key, sign: direction === 'desc' ? -1 : 1 };
  });
  return (a, b) => {
    for (const { key, sign } of keys) {
      const x = String(a[key] ?? '');
      const y = String(b[key] ?? '');
      if (x !== y) return (x < y ? -1 : 1) * sign;
    }
    return 0;
  };
}

function camel(field: string): string {
  return field.replace(/_(\w)/g, (_, c: string) => c.toUpperCase());
}
