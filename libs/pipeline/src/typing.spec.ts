import { describe, expect, it } from 'vitest';
import { InvalidParametersError } from './errors.ts';
import type { RuntimeParameter } from './read-spec.ts';
import { typeGivenParameters, typeParameters, typeTrials } from './typing.ts';
import type { ParameterType } from './types.ts';

function one(type: ParameterType): RuntimeParameter[] {
  return [{ name: 'p', type, optional: false }];
}

/** The message for a single bad value, or the typed value. */
function typed(type: ParameterType, value: unknown): unknown {
  try {
    return typeParameters(one(type), { p: value })['p'];
  } catch (e: unknown) {
    if (!(e instanceof InvalidParametersError)) throw e;
    expect(e.issues).toHaveLength(1);
    expect(e.issues[0]?.parameter).toBe('p');
    return `error: ${e.issues[0]?.message}`;
  }
}

describe('typeParameters: NUMBER_INTEGER', () => {
  it.each([
    [3, 3],
    ['3', 3],
    [' 3 ', 3],
    ['-7', -7],
    ['+2', 2],
    [0, 0],
    [Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  ])('accepts %j as %j', (input, output) => expect(typed('NUMBER_INTEGER', input)).toBe(output));

  it.each([
    [3.5, 'error: expected an integer (NUMBER_INTEGER), got 3.5'],
    ['3.5', 'error: expected an integer (NUMBER_INTEGER), got "3.5"'],
    ['3.0', 'error: expected an integer (NUMBER_INTEGER), got "3.0"'],
    ['1e3', 'error: expected an integer (NUMBER_INTEGER), got "1e3"'],
    ['abc', 'error: expected an integer (NUMBER_INTEGER), got "abc"'],
    ['', 'error: expected an integer (NUMBER_INTEGER), got ""'],
    [Number.NaN, 'error: expected an integer (NUMBER_INTEGER), got NaN'],
    [Number.POSITIVE_INFINITY, 'error: expected an integer (NUMBER_INTEGER), got Infinity'],
    [true, 'error: expected an integer (NUMBER_INTEGER), got true'],
    [null, 'error: expected an integer (NUMBER_INTEGER), got null'],
    [[3], 'error: expected an integer (NUMBER_INTEGER), got an array'],
    [2 ** 53, 'error: integer 9007199254740992 is outside the safe range ±9007199254740991'],
    ['9007199254740993', 'error: integer "9007199254740993" is outside the safe range ±9007199254740991'],
  ])('rejects %j', (input, message) => expect(typed('NUMBER_INTEGER', input)).toBe(message));
});

describe('typeParameters: NUMBER_DOUBLE', () => {
  it.each([
    [0.01, 0.01],
    ['0.01', 0.01],
    ['1e-2', 0.01],
    [' 1E-2 ', 0.01],
    ['.5', 0.5],
    ['3', 3],
    [3, 3],
    ['-2.5e3', -2500],
  ])('accepts %j as %j', (input, output) => expect(typed('NUMBER_DOUBLE', input)).toBe(output));

  it.each([
    [Number.NaN, 'error: expected a finite number (NUMBER_DOUBLE), got NaN'],
    [Number.POSITIVE_INFINITY, 'error: expected a finite number (NUMBER_DOUBLE), got Infinity'],
    ['NaN', 'error: expected a number (NUMBER_DOUBLE), got "NaN"'],
    ['Infinity', 'error: expected a number (NUMBER_DOUBLE), got "Infinity"'],
    ['', 'error: expected a number (NUMBER_DOUBLE), got ""'],
    ['abc', 'error: expected a number (NUMBER_DOUBLE), got "abc"'],
    ['0x10', 'error: expected a number (NUMBER_DOUBLE), got "0x10"'],
    ['1e999', 'error: expected a finite number (NUMBER_DOUBLE), got "1e999"'],
    [false, 'error: expected a number (NUMBER_DOUBLE), got false'],
  ])('rejects %j', (input, message) => expect(typed('NUMBER_DOUBLE', input)).toBe(message));
});

describe('typeParameters: STRING', () => {
  it.each([['abc'], [''], [' keeps spaces ']])('accepts %j unchanged', (input) =>
    expect(typed('STRING', input)).toBe(input),
  );

  it.each([
    [3, 'error: expected a string (STRING), got 3; quote it to pass it as text'],
    [true, 'error: expected a string (STRING), got true; quote it to pass it as text'],
    [{}, 'error: expected a string (STRING), got an object; quote it to pass it as text'],
  ])('rejects %j', (input, message) => expect(typed('STRING', input)).toBe(message));
});

describe('typeParameters: BOOLEAN', () => {
  it.each([
    [true, true],
    [false, false],
    ['true', true],
    ['false', false],
    ['True', true],
    [' FALSE ', false],
  ])('accepts %j as %j', (input, output) => expect(typed('BOOLEAN', input)).toBe(output));

  it.each([
    [1, 'error: expected true or false (BOOLEAN), got 1'],
    ['yes', 'error: expected true or false (BOOLEAN), got "yes"'],
    ['', 'error: expected true or false (BOOLEAN), got ""'],
  ])('rejects %j', (input, message) => expect(typed('BOOLEAN', input)).toBe(message));
});

describe('typeParameters: LIST and STRUCT (typed as compact JSON text)', () => {
  it.each([
    [[1, 2, 3], '[1,2,3]'],
    ['[1, 2, 3]', '[1,2,3]'],
    [' ["a", {"b": 1}] ', '["a",{"b":1}]'],
    [[], '[]'],
  ])('LIST accepts %j as %j', (input, output) => expect(typed('LIST', input)).toBe(output));

  it.each([
    [{ b: 2, a: [1] }, '{"a":[1],"b":2}'],
    ['{"lr": 0.01}', '{"lr":0.01}'],
  ])('STRUCT accepts %j as %j (keys sorted)', (input, output) => expect(typed('STRUCT', input)).toBe(output));

  it.each([
    ['LIST', '1,2', 'error: expected a JSON list (LIST), got "1,2"'],
    ['LIST', { a: 1 }, 'error: expected a JSON list (LIST), got an object'],
    ['LIST', 3, 'error: expected a JSON list (LIST), got 3'],
    ['LIST', [Number.NaN], 'error: expected a JSON list (LIST), got an array'],
    ['STRUCT', '[1]', 'error: expected a JSON object (STRUCT), got "[1]"'],
    ['STRUCT', null, 'error: expected a JSON object (STRUCT), got null'],
  ] as const)('%s rejects %j', (type, input, message) => expect(typed(type, input)).toBe(message));
});

describe('typeParameters: the parameter set', () => {
  const declared: RuntimeParameter[] = [
    { name: 'num_epochs', type: 'NUMBER_INTEGER', default: 5, optional: true },
    { name: 'learning_rate', type: 'NUMBER_DOUBLE', default: 0.01, optional: true },
    { name: 'tag', type: 'STRING', optional: false },
    { name: 'note', type: 'STRING', optional: true },
  ];

  it('fills defaults, leaves optional ones without a default unset, sorts by name', () => {
    const out = typeParameters(declared, { tag: 'x', num_epochs: '3' });
    expect(out).toEqual({ learning_rate: 0.01, num_epochs: 3, tag: 'x' });
    expect(Object.keys(out)).toEqual(['learning_rate', 'num_epochs', 'tag']);
  });

  it('treats undefined as not given', () => {
    expect(typeParameters(declared, { tag: 'x', num_epochs: undefined, extra: undefined })).toEqual({
      learning_rate: 0.01,
      num_epochs: 5,
      tag: 'x',
    });
  });

  it('reports every problem at once: bad values, missing required, unknown names', () => {
    let error: unknown;
    try {
      typeParameters(declared, { num_epochs: 3.5, learning_rate: 'NaN', epochs: 3, lr: 1 });
    } catch (e: unknown) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidParametersError);
    const e = error as InvalidParametersError;
    expect(e.issues).toEqual([
      {
        parameter: 'epochs',
        message: 'unknown parameter; the pipeline declares: learning_rate, note, num_epochs, tag',
      },
      {
        parameter: 'lr',
        message: 'unknown parameter; the pipeline declares: learning_rate, note, num_epochs, tag',
      },
      { parameter: 'learning_rate', message: 'expected a number (NUMBER_DOUBLE), got "NaN"' },
      { parameter: 'num_epochs', message: 'expected an integer (NUMBER_INTEGER), got 3.5' },
      { parameter: 'tag', message: 'required parameter (STRING) is missing' },
    ]);
    expect(e.message).toBe(
      'invalid parameters: epochs: unknown parameter; the pipeline declares: learning_rate, note, num_epochs, tag; ' +
        'lr: unknown parameter; the pipeline declares: learning_rate, note, num_epochs, tag; ' +
        'learning_rate: expected a number (NUMBER_DOUBLE), got "NaN"; ' +
        'num_epochs: expected an integer (NUMBER_INTEGER), got 3.5; tag: required parameter (STRING) is missing',
    );
  });

  it('does not treat inherited object keys as parameters', () => {
    expect(() =>
      typeParameters(
        declared,
        JSON.parse('{"tag":"x","__proto__":{"num_epochs":"abc"}}') as Record<string, unknown>,
      ),
    ).toThrow('invalid parameters: __proto__: unknown parameter');
  });
});

describe('typeGivenParameters', () => {
  const declared: RuntimeParameter[] = [
    { name: 'num_epochs', type: 'NUMBER_INTEGER', optional: true, default: 5, min: 1 },
    { name: 'learning_rate', type: 'NUMBER_DOUBLE', optional: true, default: 0.01 },
    { name: 'root', type: 'STRING', optional: true, default: 'gs://bucket/x', setBy: 'operator' },
  ];
  it("keeps only the given names, typed, in the order given (defaults stay the run's)", () => {
    const out = typeGivenParameters(declared, { num_epochs: '3', learning_rate: '1e-2', gone: undefined });
    expect(out).toEqual({ num_epochs: 3, learning_rate: 0.01 });
    expect(Object.keys(out)).toEqual(['num_epochs', 'learning_rate']);
  });
  it('applies every rule of typeParameters', () => {
    expect(() => typeGivenParameters(declared, { num_epochs: '0' })).toThrow(
      /num_epochs: expected at least 1/,
    );
    expect(() => typeGivenParameters(declared, { root: 'gs://other/y' })).toThrow(
      /root: is an operator setting/,
    );
    expect(() => typeGivenParameters(declared, { colour: 'red' })).toThrow(/colour: unknown parameter/);
  });
});

describe('typeTrials', () => {
  const declared: RuntimeParameter[] = [
    { name: 'n', type: 'NUMBER_INTEGER', optional: true },
    { name: 'tag', type: 'STRING', optional: true },
  ];
  const type = (given: Record<string, unknown>) => typeGivenParameters(declared, given);

  it('types each trial as the shared values with its combination, in order', () => {
    expect(typeTrials(type, { tag: 'x' }, [{ n: '1' }, { n: 2 }])).toEqual({
      trials: [
        { tag: 'x', n: 1 },
        { tag: 'x', n: 2 },
      ],
      problems: [],
    });
  });

  it('tries every trial and names each problem by its trial', () => {
    const { problems } = typeTrials(type, {}, [{ n: 'one' }, { n: 3 }, { n: 1.5, tag: 'y' }]);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^trial 0 \({"n":"one"}\): n: /);
    expect(problems[1]).toMatch(/^trial 2 \({"n":1\.5,"tag":"y"}\): n: /);
  });

  it('lets an error that is not about the parameters through', () => {
    expect(() =>
      typeTrials(
        () => {
          throw new Error('catalog broken');
        },
        {},
        [{}],
      ),
    ).toThrow('catalog broken');
  });
});
