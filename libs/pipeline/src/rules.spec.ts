// The declared rules through the one typing function: bounds, operator settings, URIs, bounded messages.
import { describe, expect, it } from 'vitest';
import { InvalidParametersError } from './errors.ts';
import type { RuntimeParameter } from './read-spec.ts';
import { typeParameters } from './typing.ts';

/** The single issue `typeParameters` reports for `values`, as `parameter: message`. */
function refusal(
  declared: readonly RuntimeParameter[],
  values: Record<string, unknown>,
  options?: Parameters<typeof typeParameters>[2],
): string {
  try {
    typeParameters(declared, values, options);
  } catch (e: unknown) {
    if (!(e instanceof InvalidParametersError)) throw e;
    return e.issues.map((i) => `${i.parameter}: ${i.message}`).join('; ');
  }
  return 'accepted';
}

describe('typeParameters: declared bounds', () => {
  const declared: RuntimeParameter[] = [
    { name: 'num_epochs', type: 'NUMBER_INTEGER', default: 5, optional: true, min: 1, max: 1000 },
    {
      name: 'learning_rate',
      type: 'NUMBER_DOUBLE',
      default: 0.01,
      optional: true,
      exclusiveMin: 0,
      max: 1,
    },
    { name: 'threshold', type: 'NUMBER_DOUBLE', default: 0.9, optional: true, min: 0, max: 1 },
    { name: 'optimizer', type: 'STRING', default: 'adam', optional: true, enum: ['adam', 'sgd'] },
  ];

  it.each([
    [{ num_epochs: 1e9 }, 'num_epochs: expected at most 1000 (max), got 1000000000'],
    [{ num_epochs: '-3' }, 'num_epochs: expected at least 1 (min), got "-3"'],
    [{ num_epochs: 0 }, 'num_epochs: expected at least 1 (min), got 0'],
    [{ learning_rate: 0 }, 'learning_rate: expected more than 0 (exclusiveMin), got 0'],
    [{ learning_rate: '-1e-2' }, 'learning_rate: expected more than 0 (exclusiveMin), got "-1e-2"'],
    [{ learning_rate: '1.5' }, 'learning_rate: expected at most 1 (max), got "1.5"'],
    [{ threshold: -0.1 }, 'threshold: expected at least 0 (min), got -0.1'],
    [{ threshold: 1.01 }, 'threshold: expected at most 1 (max), got 1.01'],
    [{ optimizer: 'rmsprop' }, 'optimizer: expected one of "adam", "sgd" (enum), got "rmsprop"'],
  ])('refuses %j naming the bound', (values, message) => {
    expect(refusal(declared, values)).toBe(message);
  });

  it.each([
    [{ num_epochs: 1 }],
    [{ num_epochs: '1000' }],
    [{ learning_rate: 1 }],
    [{ learning_rate: '1e-9' }],
    [{ threshold: 0 }],
    [{ threshold: '1' }],
    [{ optimizer: 'sgd' }],
  ])('accepts %j at the edges', (values) => {
    expect(refusal(declared, values)).toBe('accepted');
  });

  it('lists every bound broken, each naming its parameter', () => {
    expect(refusal(declared, { num_epochs: 1001, threshold: 2 })).toBe(
      'num_epochs: expected at most 1000 (max), got 1001; threshold: expected at most 1 (max), got 2',
    );
  });
});

/** An operator setting that is a URI, with a default in the local bucket. */
const servingRoot: RuntimeParameter = {
  name: 'serving_root',
  type: 'STRING',
  default: 'gs://local/serving',
  optional: true,
  setBy: 'operator',
  uri: true,
};

describe('typeParameters: run parameters and operator settings', () => {
  const declared: RuntimeParameter[] = [
    { name: 'num_epochs', type: 'NUMBER_INTEGER', default: 5, optional: true },
    servingRoot,
    {
      name: 'threshold',
      type: 'NUMBER_DOUBLE',
      default: 0.9,
      optional: true,
      setBy: 'operator',
      min: 0,
      max: 1,
    },
    { name: 'note', type: 'STRING', default: '', optional: true, setBy: 'operator', overridable: true },
  ];

  it('refuses a run value for an operator setting, naming it', () => {
    expect(refusal(declared, { num_epochs: 3, serving_root: 'gs://local/elsewhere' })).toBe(
      'serving_root: is an operator setting: a run may not set it (operators set it in the worker configuration)',
    );
    expect(refusal(declared, { threshold: 0.1 })).toMatch(/^threshold: is an operator setting/);
  });

  it('applies operator settings over the defaults, typed and bounded like run values', () => {
    expect(
      typeParameters(
        declared,
        { num_epochs: '3' },
        { settings: { serving_root: 'gs://prod/m', threshold: '0.95' } },
      ),
    ).toEqual({ note: '', num_epochs: 3, serving_root: 'gs://prod/m', threshold: 0.95 });
    expect(refusal(declared, {}, { settings: { threshold: 2 } })).toBe(
      'threshold: expected at most 1 (max), got 2 (operator setting)',
    );
    expect(refusal(declared, {}, { settings: { thresold: 0.5 } })).toBe(
      'thresold: unknown parameter in the operator settings; the pipeline declares: note, num_epochs, serving_root, threshold',
    );
  });

  it('lets a run override a setting the pipeline marks overridable', () => {
    expect(typeParameters(declared, { note: 'hi' }, { settings: { note: 'operator' } })['note']).toBe('hi');
    expect(typeParameters(declared, {}, { settings: { note: 'operator' } })['note']).toBe('operator');
  });

  it('lets operators give run parameters new defaults, which a run may still override', () => {
    expect(typeParameters(declared, {}, { settings: { num_epochs: 7 } })['num_epochs']).toBe(7);
    expect(typeParameters(declared, { num_epochs: 2 }, { settings: { num_epochs: 7 } })['num_epochs']).toBe(
      2,
    );
  });
});

describe('typeParameters: URIs', () => {
  const declared: RuntimeParameter[] = [
    { name: 'data_uri', type: 'STRING', default: '', optional: true, uri: true },
    { name: 'label', type: 'STRING', default: 'x', optional: true },
  ];
  const allowed = { allowedUriPrefixes: ['gs://prod/', 'gs://shared/data/'] };

  it.each([
    [
      { data_uri: 'http://example.com/x.csv' },
      'data_uri: expected a gs://bucket/object URI, got "http://example.com/x.csv"',
    ],
    [{ data_uri: 'penguins.csv' }, 'data_uri: expected a gs://bucket/object URI, got "penguins.csv"'],
    [{ data_uri: '/gcs/prod/x.csv' }, 'data_uri: expected a gs://bucket/object URI, got "/gcs/prod/x.csv"'],
    [
      { data_uri: 'gs://prod/a/../b.csv' },
      'data_uri: a URI may not contain "..", got "gs://prod/a/../b.csv"',
    ],
    [{ data_uri: 'gs://UPPER/x' }, 'data_uri: expected a gs://bucket/object URI, got "gs://UPPER/x"'],
    // Any string that is a URI is held to the same rules, declared as one or not.
    [
      { label: 'https://evil.example/x' },
      'label: expected a gs://bucket/object URI, got "https://evil.example/x"',
    ],
    [{ label: 'gs://prod/..' }, 'label: a URI may not contain "..", got "gs://prod/.."'],
  ])('refuses %j', (values, message) => {
    expect(refusal(declared, values)).toBe(message);
  });

  it('accepts gs:// URIs and empty values without an allow-list', () => {
    expect(typeParameters(declared, { data_uri: 'gs://any-bucket/x.csv' })['data_uri']).toBe(
      'gs://any-bucket/x.csv',
    );
    expect(typeParameters(declared, {})['data_uri']).toBe('');
  });

  it('keeps every URI under an allowed prefix, by whole path segments', () => {
    expect(typeParameters(declared, { data_uri: 'gs://prod/x.csv' }, allowed)['data_uri']).toBe(
      'gs://prod/x.csv',
    );
    expect(typeParameters(declared, { data_uri: 'gs://shared/data/x' }, allowed)['data_uri']).toBe(
      'gs://shared/data/x',
    );
    expect(refusal(declared, { data_uri: 'gs://prod-evil/x.csv' }, allowed)).toBe(
      'data_uri: gs://prod-evil/x.csv is outside the allowed locations (gs://prod/, gs://shared/data/)',
    );
    expect(refusal(declared, { data_uri: 'gs://shared/database/x' }, allowed)).toMatch(/outside the allowed/);
  });

  it('holds defaults and operator settings to the allow-list too', () => {
    const withDefault: RuntimeParameter[] = [servingRoot];
    expect(refusal(withDefault, {}, allowed)).toBe(
      'serving_root: gs://local/serving (the pipeline default) is outside the allowed locations (gs://prod/, gs://shared/data/)',
    );
    expect(refusal(withDefault, {}, { ...allowed, settings: { serving_root: 'gs://other/s' } })).toBe(
      'serving_root: gs://other/s (operator setting) is outside the allowed locations (gs://prod/, gs://shared/data/)',
    );
    expect(
      typeParameters(withDefault, {}, { ...allowed, settings: { serving_root: 'gs://prod/s' } }),
    ).toEqual({
      serving_root: 'gs://prod/s',
    });
  });
});

describe('InvalidParametersError: bounded message', () => {
  it('keeps every issue but words at most the first 20 and a count', () => {
    const values = Object.fromEntries(
      Array.from({ length: 30 }, (_, i) => [`x${String(i).padStart(2, '0')}`, 1]),
    );
    let error: unknown;
    try {
      typeParameters([], values);
    } catch (e: unknown) {
      error = e;
    }
    const e = error as InvalidParametersError;
    expect(e.issues).toHaveLength(30);
    expect(e.message).toMatch(
      /^invalid parameters: x00: unknown parameter.*; x19: unknown parameter; the pipeline declares: \(none\); and 10 more$/,
    );
    expect(e.message).not.toContain('x20');
  });
});

describe('typeParameters: quoted values are bounded', () => {
  it('quotes at most the start of a long bad value', () => {
    const message = refusal([{ name: 'p', type: 'NUMBER_INTEGER', optional: false }], {
      p: 'x'.repeat(10_000),
    });
    expect(message.length).toBeLessThan(160);
    expect(message).toMatch(/^p: expected an integer \(NUMBER_INTEGER\), got "x{20,}…"$/);
  });
});
