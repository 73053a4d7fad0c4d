import { describe, expect, it } from 'vitest';
import { evaluateCondition, ExpressionError, selectValue } from './cel.ts';

const values = {
  'pipelinechannel--flip-Output': 'heads',
  'pipelinechannel--x': 7,
  'pipelinechannel--rate': 0.5,
  'pipelinechannel--loud': true,
};

describe('CEL as kfp 2.17 compiles dsl.If / Elif / Else', () => {
  it.each([
    ["inputs.parameter_values['pipelinechannel--flip-Output'] == 'heads'", true],
    ["inputs.parameter_values['pipelinechannel--flip-Output'] != 'heads'", false],
    ["int(inputs.parameter_values['pipelinechannel--x']) > 5", true],
    ["int(inputs.parameter_values['pipelinechannel--x']) <= 5", false],
    ["inputs.parameter_values['pipelinechannel--rate'] >= double(1)", false],
    ["inputs.parameter_values['pipelinechannel--loud'] == true", true],
    // Elif / Else: the earlier branches negated and joined.
    [
      "!(inputs.parameter_values['pipelinechannel--flip-Output'] == 'heads') && int(inputs.parameter_values['pipelinechannel--x']) > 5",
      false,
    ],
    [
      "!(inputs.parameter_values['pipelinechannel--flip-Output'] == 'tails') && !(int(inputs.parameter_values['pipelinechannel--x']) > 10)",
      true,
    ],
  ])('%s → %s', (expression, expected) => {
    expect(evaluateCondition(expression, values)).toBe(expected);
  });

  it('fails on what it cannot evaluate, naming the expression, never silently true', () => {
    expect(() => evaluateCondition("isHeads(inputs.parameter_values['x'])", values)).toThrow(ExpressionError);
    expect(() => evaluateCondition("isHeads(inputs.parameter_values['x'])", values)).toThrow(/isHeads/);
    expect(() => evaluateCondition("inputs.parameter_values['missing'] == 1", values)).toThrow(/missing/);
    expect(() => evaluateCondition("int(inputs.parameter_values['pipelinechannel--x'])", values)).toThrow(
      /not a boolean/,
    );
    expect(() => evaluateCondition('inputs.parameter_values[', values)).toThrow(ExpressionError);
  });
});

describe('parameterExpressionSelector (a field of a ParallelFor item)', () => {
  it('selects from the value through its JSON text', () => {
    expect(selectValue({ who: 'ann', size: 10 }, 'parseJson(string_value)["who"]')).toBe('ann');
    expect(selectValue({ who: 'ann', size: 10 }, 'parseJson(string_value)["size"]')).toBe(10);
    expect(selectValue({ nested: { a: [1, 2] } }, 'parseJson(string_value)["nested"]')).toEqual({
      a: [1, 2],
    });
    expect(() => selectValue({ who: 'ann' }, 'parseJson(string_value)["size"]')).toThrow(/size/);
  });
});
