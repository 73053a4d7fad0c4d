// `conveyor sweep` flags → a typed sweep request, every value checked by the one typing function
// before anything starts.
import { randomBytes } from 'node:crypto';
import {
  SweepRequestSchema,
  type ParameterValue,
  type SweepRequest,
  type SweepRequestInput,
} from '@conveyor/contracts';
import { declaredParameters } from '@conveyor/pipeline';
import { InvalidParametersError, typeGivenParameters, type ParameterIssue } from '@conveyor/pipeline/spec';
import { getPipeline } from '@conveyor/pipelines';
import { FlagError } from '../common/errors.ts';

/** A sweep's workflow id: `<pipeline>-sweep-<time>-<random>`, unique per invocation. */
export function sweepWorkflowId(pipeline: string, now: Date): string {
  return `${pipeline}-sweep-${now.getTime().toString(36)}-${randomBytes(3).toString('hex')}`;
}

/**
 * `--grid name=v1,v2,…` values → name → raw values (a name given twice is an error).
 * @throws FlagError naming `--grid`
 */
export function parseGrid(values: readonly string[] | undefined): Record<string, string[]> {
  const grid: Record<string, string[]> = {};
  for (const v of values ?? []) {
    const i = v.indexOf('=');
    if (i <= 0) throw new FlagError('--grid', `'${v}' is not name=value1,value2,…`);
    const name = v.slice(0, i);
    const list = v
      .slice(i + 1)
      .split(',')
      .map((x) => x.trim());
    if (list.some((x) => x === '')) throw new FlagError('--grid', `${name}: an empty value in '${v}'`);
    if (name in grid) throw new FlagError('--grid', `${name} is given twice; list its values in one --grid`);
    grid[name] = list;
  }
  if (Object.keys(grid).length === 0)
    throw new FlagError('--grid', 'give at least one, e.g. --grid num_epochs=5,10,20');
  return grid;
}

/**
 * Types the shared parameters and every grid value against the pipeline's declaration (bounds,
 * operator settings, unknown names), each value with the shared ones beside it.
 * @throws InvalidParametersError listing every bad value, named `--grid <name>` or by parameter
 */
export function typeSweepParameters(
  pipeline: string,
  shared: Record<string, string>,
  grid: Record<string, string[]>,
): { parameters: Record<string, ParameterValue>; grid: Record<string, ParameterValue[]> } {
  const declared = declaredParameters(getPipeline(pipeline));
  const issues: ParameterIssue[] = [];
  const collectIssues = <T>(fn: () => T, label?: string): T | undefined => {
    try {
      return fn();
    } catch (e: unknown) {
      if (!(e instanceof InvalidParametersError)) throw e;
      for (const issue of e.issues)
        issues.push(label ? { parameter: `--grid ${label}`, message: issue.message } : issue);
      return undefined;
    }
  };
  const parameters = collectIssues(() => typeGivenParameters(declared, shared)) ?? {};
  const typedGrid: Record<string, ParameterValue[]> = {};
  for (const [name, values] of Object.entries(grid)) {
    typedGrid[name] = [];
    for (const value of values) {
      const typed = collectIssues(() => typeGivenParameters(declared, { [name]: value }), name);
      if (typed?.[name] !== undefined) typedGrid[name].push(typed[name]);
    }
  }
  if (issues.length > 0) {
    // One message per problem: the same bad value listed twice says nothing new.
    const seen = new Set<string>();
    throw new InvalidParametersError(
      issues.filter(
        (i) => !seen.has(`${i.parameter}|${i.message}`) && seen.add(`${i.parameter}|${i.message}`),
      ),
    );
  }
  return { parameters, grid: typedGrid };
}

/** Flags that map to a request field, for messages. */
const FIELD_FLAGS: Record<string, string> = {
  grid: '--grid',
  parallel: '--parallel',
  random: '--random',
  'random.count': '--random',
  'random.seed': '--seed',
  metric: '--metric',
  goal: '--goal',
  parameters: '--param',
};

/** Validates the request as the workflow will; problems name the flag. @throws FlagError */
export function checkSweepRequest(input: SweepRequestInput): SweepRequest {
  const parsed = SweepRequestSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const first = parsed.error.issues[0];
  const path = first?.path.map(String) ?? [];
  const flag = FIELD_FLAGS[path.slice(0, 2).join('.')] ?? FIELD_FLAGS[path[0] ?? ''] ?? path.join('.');
  const problems = parsed.error.issues.map(
    (i) => `${i.path.map(String).join('.') || 'request'}: ${i.message}`,
  );
  throw new FlagError(flag, problems.join('; '));
}
