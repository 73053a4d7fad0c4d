import { status } from '@grpc/grpc-js';
import { RpcError } from '../rpc-error.ts';

/** The flattened view of a build a filter is evaluated against. */
export interface FilterableBuild {
  id: string;
  status: string;
  tags: string[];
  triggerId: string;
  images: string[];
  projectId: string;
  /** RFC 3339 timestamps ('' when unset). */
  createTime: string;
  startTime: string;
  finishTime: string;
  substitutions: Record<string, string>;
}

type Predicate = (build: FilterableBuild) => boolean;

const TOKEN = /\s*(\(|\)|>=|<=|!=|=|>|<|:|"(?:[^"\\]|\\.)*"|[A-Za-z_][A-Za-z0-9_.]*|[^\s()"=<>!:]+)/y;

/**
 * Parses a ListBuilds filter: comparisons `field op value` (op one of = != > < >= <= :) joined by
 * AND / OR (AND binds tighter; NOT and parentheses supported). Fields: build_id / id, status,
 * tags, trigger_id, images, project_id, create_time, start_time, finish_time, substitutions.KEY.
 * Values may be quoted. An empty filter matches everything.
 * @throws RpcError INVALID_ARGUMENT on a syntax error or an unknown field.
 */
export function parseBuildFilter(filter: string): Predicate {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  const text = filter.trim();
  while (TOKEN.lastIndex < text.length) {
    const m = TOKEN.exec(text);
    if (!m?.[1]) throw invalid(filter, `unexpected text at ${TOKEN.lastIndex}`);
    tokens.push(m[1]);
  }
  if (tokens.length === 0) return () => true;
  let pos = 0;
  const peek = (): string | undefined => tokens[pos];
  const next = (): string => {
    const t = tokens[pos++];
    if (t === undefined) throw invalid(filter, 'unexpected end');
    return t;
  };

  const parseOr = (): Predicate => {
    const parts = [parseAnd()];
    while (peek()?.toUpperCase() === 'OR') {
      pos++;
      parts.push(parseAnd());
    }
    return parts.length === 1 ? (parts[0] as Predicate) : (b) => parts.some((p) => p(b));
  };
  const parseAnd = (): Predicate => {
    const parts = [parseUnary()];
    for (;;) {
      const t = peek();
      if (t === undefined || t === ')' || t.toUpperCase() === 'OR') break;
      if (t.toUpperCase() === 'AND') pos++;
      parts.push(parseUnary());
    }
    return parts.length === 1 ? (parts[0] as Predicate) : (b) => parts.every((p) => p(b));
  };
  const parseUnary = (): Predicate => {
    const t = next();
    if (t.toUpperCase() === 'NOT' || t === '-') {
      const inner = parseUnary();
      return (b) => !inner(b);
    }
    if (t === '(') {
      const inner = parseOr();
      if (next() !== ')') throw invalid(filter, 'missing )');
      return inner;
    }
    const op = next();
    if (!['=', '!=', '>', '<', '>=', '<=', ':'].includes(op))
      throw invalid(filter, `expected an operator after ${t}`);
    return comparison(filter, t, op, unquote(next()));
  };

  const predicate = parseOr();
  if (pos !== tokens.length) throw invalid(filter, `unexpected ${tokens[pos]}`);
  return predicate;
}

function comparison(filter: string, field: string, op: string, value: string): Predicate {
  const read = fieldReader(filter, field);
  return (build) => {
    const actual = read(build);
    const values = Array.isArray(actual) ? actual : [actual];
    switch (op) {
      case '=':
      case ':':
        return values.includes(value);
      case '!=':
        return !values.includes(value);
      default:
        return values.some((v) => compare(v, value, op));
    }
  };
}

function compare(actual: string, expected: string, op: string): boolean {
  if (!actual) return false;
  const a = Date.parse(actual);
  const e = Date.parse(expected);
  const [x, y] = Number.isNaN(a) || Number.isNaN(e) ? [actual, expected] : [a, e];
  if (op === '>') return x > y;
  if (op === '<') return x < y;
  if (op === '>=') return x >= y;
  return x <= y;
}

function fieldReader(filter: string, field: string): (b: FilterableBuild) => string | string[] {
  const key = field.replace(/([A-Z])/g, '_$1').toLowerCase();
  if (key.startsWith('substitutions.')) {
    const sub = field.slice('substitutions.'.length);
    return (b) => b.substitutions[sub] ?? '';
  }
  switch (key) {
    case 'id':
    case 'build_id':
      return (b) => b.id;
    case 'status':
      return (b) => b.status;
    case 'tags':
      return (b) => b.tags;
    case 'trigger_id':
      return (b) => b.triggerId;
    case 'images':
      return (b) => b.images;
    case 'project_id':
      return (b) => b.projectId;
    case 'create_time':
      return (b) => b.createTime;
    case 'start_time':
      return (b) => b.startTime;
    case 'finish_time':
      return (b) => b.finishTime;
    default:
      throw invalid(filter, `unsupported field "${field}"`);
  }
}

function unquote(token: string): string {
  return token.startsWith('"') ? token.slice(1, -1).replace(/\\(.)/g, '$1') : token;
}

function invalid(filter: string, reason: string): RpcError {
  return new RpcError(status.INVALID_ARGUMENT, `invalid filter ${JSON.stringify(filter)}: ${reason}`);
}
