/**
 * CEL, as KFP's backends evaluate it: `triggerPolicy.condition` over a task's executor inputs
 * (`inputs.parameter_values['x']`, what dsl.If / Elif / Else compile to) and
 * `parameterExpressionSelector` over one google.protobuf.Value (`parseJson(string_value)["a"]`, a
 * field of a ParallelFor item). Values are protobuf Values, so every number is a CEL double (kfp
 * wraps integer operands in `int(...)`). Evaluation uses @marcbachmann/cel-js; anything it cannot
 * parse or evaluate (unknown function, missing key, wrong type) is an ExpressionError naming the
 * expression, never a silent true.
 */
import { Environment } from '@marcbachmann/cel-js';
import { isObject, type Json } from './struct.ts';
import { messageOf } from '../rpc-error.ts';

/** A condition or selector that could not be evaluated. */
export class ExpressionError extends Error {
  readonly expression: string;
  constructor(expression: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ExpressionError';
    this.expression = expression;
  }
}

const env = new Environment({ unlistedVariablesAreDyn: true }).registerFunction(
  'parseJson(string): dyn',
  (text: string): unknown => JSON.parse(text),
);

function evaluate(expression: string, context: Record<string, unknown>, what: string): unknown {
  try {
    return env.evaluate(expression, context);
  } catch (e: unknown) {
    const reason = messageOf(e).split('\n')[0]!;
    throw new ExpressionError(
      expression,
      `cannot evaluate ${what} ${JSON.stringify(expression)}: ${reason}`,
      {
        cause: e,
      },
    );
  }
}

/**
 * Evaluates a `triggerPolicy.condition`.
 * @param parameterValues the task's resolved input parameters (`inputs.parameter_values`)
 * @throws ExpressionError when it fails or yields no boolean
 */
export function evaluateCondition(expression: string, parameterValues: Record<string, Json>): boolean {
  const result = evaluate(
    expression,
    { inputs: { parameter_values: parameterValues } },
    'triggerPolicy.condition',
  );
  if (typeof result !== 'boolean') {
    throw new ExpressionError(
      expression,
      `triggerPolicy.condition ${JSON.stringify(expression)} yields ${describe(result)}, not a boolean`,
    );
  }
  return result;
}

/**
 * Applies a `parameterExpressionSelector` to a value: the Value's set field plus `string_value`
 * (its JSON text, whatever its kind) are in scope. @throws ExpressionError
 */
export function selectValue(value: Json, expression: string): Json {
  const context: Record<string, unknown> = {
    string_value: typeof value === 'string' ? value : JSON.stringify(value),
  };
  if (typeof value === 'number') context['number_value'] = value;
  else if (typeof value === 'boolean') context['bool_value'] = value;
  else if (Array.isArray(value)) context['list_value'] = value;
  else if (isObject(value)) context['struct_value'] = value;
  return toJson(evaluate(expression, context, 'parameterExpressionSelector'), expression);
}

/** CEL results back to JSON: ints come back as BigInt. */
function toJson(value: unknown, expression: string): Json {
  if (typeof value === 'bigint') return Number(value);
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return value;
  if (Array.isArray(value)) return value.map((v) => toJson(v, expression));
  if (value instanceof Map)
    return Object.fromEntries([...value].map(([k, v]) => [String(k), toJson(v, expression)]));
  if (typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJson(v, expression)]));
  throw new ExpressionError(
    expression,
    `parameterExpressionSelector ${JSON.stringify(expression)} yields ${describe(value)}`,
  );
}

function describe(value: unknown): string {
  if (typeof value === 'bigint') return `the integer ${value}`;
  return `${typeof value} ${JSON.stringify(value) ?? String(value)}`;
}
