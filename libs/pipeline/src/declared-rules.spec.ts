import { describe, expect, it } from 'vitest';
import { definePipeline, type RuntimeParameterDecls } from './pipeline.ts';

function define(parameters: RuntimeParameterDecls): () => unknown {
  return () => definePipeline({ name: 'p', parameters }, () => undefined);
}

describe('definePipeline: declared rules', () => {
  it('accepts consistent rules whose defaults obey them, and keeps them in declaredParameters', () => {
    expect(
      define({
        n: { type: 'NUMBER_INTEGER', default: 5, min: 1, max: 1000 },
        lr: { type: 'NUMBER_DOUBLE', default: 0.01, exclusiveMin: 0, max: 1 },
        opt: { type: 'STRING', default: 'adam', enum: ['adam', 'sgd'] },
        root: { type: 'STRING', default: '', uri: true, setBy: 'operator', overridable: true },
        required: { type: 'NUMBER_INTEGER', min: 0 },
      }),
    ).not.toThrow();
  });

  it.each([
    [{ n: { type: 'STRING', min: 1 } }, "parameter 'n': min/max bounds need a number type, not STRING"],
    [
      { n: { type: 'NUMBER_INTEGER', min: 5, max: 1 } },
      "parameter 'n': no value fits between its lower and upper bounds",
    ],
    [
      { n: { type: 'NUMBER_DOUBLE', exclusiveMin: 1, max: 1 } },
      "parameter 'n': no value fits between its lower and upper bounds",
    ],
    [{ n: { type: 'NUMBER_INTEGER', max: Number.NaN } }, "parameter 'n': bounds must be finite numbers"],
    [{ n: { type: 'STRING', enum: [] } }, "parameter 'n': enum is empty"],
    [{ n: { type: 'STRING', enum: [1] } }, "parameter 'n': enum values must be of type STRING"],
    [{ n: { type: 'NUMBER_INTEGER', uri: true } }, "parameter 'n': uri needs type STRING"],
    [{ n: { type: 'STRING', overridable: true } }, "parameter 'n': overridable applies to operator settings"],
    [
      { n: { type: 'NUMBER_INTEGER', default: 0, min: 1 } },
      'a default breaks its declared rules: invalid parameters: n: expected at least 1 (min), got 0',
    ],
    [
      { n: { type: 'STRING', default: 'http://x', uri: true } },
      'n: expected a gs://bucket/object URI, got "http://x"',
    ],
  ])('refuses %j', (parameters, message) => {
    expect(define(parameters as RuntimeParameterDecls)).toThrow(message);
  });
});
