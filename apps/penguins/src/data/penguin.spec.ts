import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv.ts';
import { cleanRecords } from './penguin.ts';

describe('cleanRecords', () => {
  it('reads vega-datasets records and drops incomplete ones (null, ".")', () => {
    const { rows, dropped } = cleanRecords([
      {
        Species: 'Adelie',
        Island: 'Torgersen',
        'Beak Length (mm)': 39.1,
        'Beak Depth (mm)': 18.7,
        'Flipper Length (mm)': 181,
        'Body Mass (g)': 3750,
        Sex: 'MALE',
      },
      {
        Species: 'Adelie',
        Island: 'Torgersen',
        'Beak Length (mm)': null,
        'Beak Depth (mm)': null,
        'Flipper Length (mm)': null,
        'Body Mass (g)': null,
        Sex: null,
      },
      {
        Species: 'Gentoo',
        Island: 'Biscoe',
        'Beak Length (mm)': 44.5,
        'Beak Depth (mm)': 15.7,
        'Flipper Length (mm)': 217,
        'Body Mass (g)': 4875,
        Sex: '.',
      },
    ]);
    expect(dropped).toBe(2);
    expect(rows).toEqual([
      {
        species: 'Adelie',
        island: 'TORGERSEN',
        sex: 'MALE',
        bill_length_mm: 39.1,
        bill_depth_mm: 18.7,
        flipper_length_mm: 181,
        body_mass_g: 3750,
      },
    ]);
  });

  it('reads the palmerpenguins CSV with NA values and ignores extra columns', () => {
    const csv =
      'species,island,bill_length_mm,bill_depth_mm,flipper_length_mm,body_mass_g,sex,year\n' +
      'Adelie,Torgersen,39.1,18.7,181,3750,male,2007\nAdelie,Torgersen,NA,NA,NA,NA,NA,2007\n';
    const { rows, dropped } = cleanRecords(parseCsv(csv));
    expect(dropped).toBe(1);
    expect(rows[0]).toMatchObject({ species: 'Adelie', sex: 'MALE', body_mass_g: 3750 });
  });

  it("reads TFX's processed CSV: numeric species, culmen names, no island/sex", () => {
    const csv = 'species,culmen_length_mm,culmen_depth_mm,flipper_length_mm,body_mass_g\n2,0.5,0.2,0.9,0.7\n';
    const { rows } = cleanRecords(parseCsv(csv));
    expect(rows).toEqual([
      {
        species: 'Gentoo',
        island: null,
        sex: null,
        bill_length_mm: 0.5,
        bill_depth_mm: 0.2,
        flipper_length_mm: 0.9,
        body_mass_g: 0.7,
      },
    ]);
  });

  it('names missing required columns and malformed numbers', () => {
    expect(() => cleanRecords([{ species: 'Adelie', bill_length_mm: 1 }])).toThrow(
      /lacks column\(s\) bill_depth_mm, flipper_length_mm, body_mass_g/,
    );
    expect(() =>
      cleanRecords([
        { species: 'A', bill_length_mm: 'x', bill_depth_mm: 1, flipper_length_mm: 1, body_mass_g: 1 },
      ]),
    ).toThrow(/record 1: bill_length_mm is not a number/);
  });
});

describe('parseCsv', () => {
  it('handles quotes, doubled quotes, CRLF and a missing final newline', () => {
    expect(parseCsv('a,b\r\n"x, y","say ""hi"""\r\n1,2')).toEqual([
      { a: 'x, y', b: 'say "hi"' },
      { a: '1', b: '2' },
    ]);
  });

  it('rejects a ragged line', () => {
    expect(() => parseCsv('a,b\n1\n')).toThrow(/line 2: 1 fields, header has 2/);
  });
});
