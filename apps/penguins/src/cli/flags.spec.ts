import { describe, expect, it } from 'vitest';
import { boolValue, doubleValue, intValue, parseFlags, UsageError } from './flags.ts';

const spec = { required: ['model', 'num_epochs'] as const, optional: ['seed'] as const };

function usage(fn: () => unknown): UsageError {
  try {
    fn();
  } catch (e: unknown) {
    if (e instanceof UsageError) return e;
    throw e;
  }
  throw new Error('expected a UsageError');
}

describe('parseFlags', () => {
  it('reads --name value and --name=value', () => {
    expect(parseFlags(['--model', '/m', '--num_epochs=3'], spec)).toEqual({ model: '/m', num_epochs: '3' });
  });

  it('treats an empty optional as absent and keeps negative numbers as values', () => {
    expect(parseFlags(['--model', '/m', '--num_epochs', '3', '--seed', ''], spec).seed).toBeUndefined();
    expect(parseFlags(['--model', '/m', '--num_epochs', '3', '--seed', '-1'], spec).seed).toBe('-1');
  });

  it('names an unknown flag', () => {
    const e = usage(() => parseFlags(['--model', '/m', '--num_epochs', '3', '--epochs', '3'], spec));
    expect(e.flag).toBe('epochs');
    expect(e.message).toMatch(/unknown flag --epochs/);
  });

  it('names a missing or empty required flag', () => {
    expect(usage(() => parseFlags(['--model', '/m'], spec)).message).toBe(
      'missing required flag --num_epochs',
    );
    expect(usage(() => parseFlags(['--model', '', '--num_epochs', '1'], spec)).flag).toBe('model');
  });

  it('rejects repeated flags, flags without value and stray arguments', () => {
    expect(usage(() => parseFlags(['--model', 'a', '--model', 'b'], spec)).message).toMatch(/more than once/);
    expect(usage(() => parseFlags(['--num_epochs', '3', '--model'], spec)).message).toBe(
      'flag --model needs a value',
    );
    expect(usage(() => parseFlags(['--model', '--num_epochs', '3'], spec)).flag).toBe('model');
    expect(usage(() => parseFlags(['model'], spec)).message).toMatch(/unexpected argument 'model'/);
  });
});

describe('typed values', () => {
  it('integers accept "3" and "-2", reject "3.5", "abc", ""', () => {
    expect(intValue('n', '3')).toBe(3);
    expect(intValue('n', '-2')).toBe(-2);
    for (const bad of ['3.5', 'abc', '', '1e3'])
      expect(() => intValue('n', bad)).toThrow(/--n must be an integer/);
  });

  it('doubles accept "0.01" and "1e-2", reject NaN, Infinity, ""', () => {
    expect(doubleValue('lr', '1e-2')).toBe(0.01);
    for (const bad of ['NaN', 'Infinity', '', 'x'])
      expect(() => doubleValue('lr', bad)).toThrow(/--lr must be a finite number/);
  });

  it('booleans accept true/false in any case only', () => {
    expect(boolValue('b', 'True')).toBe(true);
    expect(boolValue('b', 'false')).toBe(false);
    expect(() => boolValue('b', '1')).toThrow(UsageError);
  });
});
