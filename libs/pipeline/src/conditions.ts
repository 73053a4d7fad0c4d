// Conditions of `builder.condition(…)`: one comparison of a runtime value with a constant or another
// runtime value, rendered to the CEL that kfp 2.17 writes into `triggerPolicy.condition`.
import type { ValueRef } from './refs.ts';
import type { NumberType, PrimitiveType, ValueOf } from './types.ts';

/** A comparison operator (CEL spelling). */
export type ComparisonOperator = '==' | '!=' | '<' | '<=' | '>' | '>=';

/** What a condition compares: a runtime value or a scalar constant. */
export type Operand = ValueRef | string | number | boolean;

/** A condition: `left op right`, where `left` is a runtime value. Build it with `eq`, `ne`, `lt`, … */
export interface Condition {
  readonly kind: 'comparison';
  readonly op: ComparisonOperator;
  readonly left: Operand;
  readonly right: Operand;
}

/** What `T` can be compared with: a constant or runtime value of the same type; numbers mix. */
export type Comparable<T extends PrimitiveType> = T extends NumberType
  ? number | ValueRef<NumberType>
  : ValueOf<T> | ValueRef<T>;

const compare = (op: ComparisonOperator, left: Operand, right: Operand): Condition => ({
  kind: 'comparison',
  op,
  left,
  right,
});

/** `left == right`. */
export function eq<T extends PrimitiveType>(left: ValueRef<T>, right: Comparable<T>): Condition {
  return compare('==', left, right as Operand);
}

/** `left != right`. */
export function ne<T extends PrimitiveType>(left: ValueRef<T>, right: Comparable<T>): Condition {
  return compare('!=', left, right as Operand);
}

/** `left < right` (numbers). */
export function lt(left: ValueRef<NumberType>, right: number | ValueRef<NumberType>): Condition {
  return compare('<', left, right);
}

/** `left <= right` (numbers). */
export function le(left: ValueRef<NumberType>, right: number | ValueRef<NumberType>): Condition {
  return compare('<=', left, right);
}

/** `left > right` (numbers). */
export function gt(left: ValueRef<NumberType>, right: number | ValueRef<NumberType>): Condition {
  return compare('>', left, right);
}

/** `left >= right` (numbers). */
export function ge(left: ValueRef<NumberType>, right: number | ValueRef<NumberType>): Condition {
  return compare('>=', left, right);
}

/** One term of a condition group's trigger: a comparison, negated for the branches before an elif/else. */
export interface ConditionTerm {
  readonly condition: Condition;
  readonly negate: boolean;
}

/**
 * Renders terms as kfp 2.17 does (`_single_binary_operation_to_cel_condition`): a runtime value is
 * `inputs.parameter_values['<channel>']`, wrapped in `int(…)` when NUMBER_INTEGER; an integer compared
 * with a double is promoted with `double(…)`; strings are single-quoted, booleans `true`/`false`;
 * negated terms are `!(…)`; terms are joined with ` && `. Operand types must already be checked.
 */
export function renderCel(
  terms: readonly ConditionTerm[],
  typeOf: (operand: Operand) => PrimitiveType,
  channelOf: (ref: ValueRef) => string,
): string {
  return terms
    .map(({ condition, negate }) => {
      const types = [typeOf(condition.left), typeOf(condition.right)];
      const promote = types.includes('NUMBER_DOUBLE') && types.includes('NUMBER_INTEGER');
      const [left, right] = [condition.left, condition.right].map((operand, i) => {
        const text = operandText(operand, types[i] as PrimitiveType, channelOf);
        return promote && types[i] === 'NUMBER_INTEGER' ? `double(${text})` : text;
      });
      const cel = `${left} ${condition.op} ${right}`;
      return negate ? `!(${cel})` : cel;
    })
    .join(' && ');
}

function operandText(operand: Operand, type: PrimitiveType, channelOf: (ref: ValueRef) => string): string {
  if (typeof operand === 'object') {
    const value = `inputs.parameter_values['${channelOf(operand)}']`;
    return type === 'NUMBER_INTEGER' ? `int(${value})` : value;
  }
  if (typeof operand === 'string') return `'${celEscape(operand)}'`;
  return String(operand);
}

// CEL single-quoted string literal escapes (kfp writes the text unescaped, which breaks on a quote).
function celEscape(text: string): string {
  return text.replace(/[\\'\n\r]/g, (c) => ({ '\\': '\\\\', "'": "\\'", '\n': '\\n', '\r': '\\r' })[c] ?? c);
}
