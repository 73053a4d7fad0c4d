import { describe, expect, it } from 'vitest';
import type { Penguin } from '../data/penguin.ts';
import { encodeFeatures, encodeLabels, fitPreprocessing, inputWidth } from './features.ts';

const row = (species: string, island: string, mass: number, sex: string | null = 'MALE'): Penguin => ({
  species,
  island,
  sex,
  bill_length_mm: 40,
  bill_depth_mm: mass / 100,
  flipper_length_mm: 200,
  body_mass_g: mass,
});

describe('preprocessing', () => {
  const train = [
    row('Gentoo', 'BISCOE', 5000),
    row('Adelie', 'DREAM', 3000),
    row('Adelie', 'TORGERSEN', 4000),
  ];
  const pre = fitPreprocessing(train);

  it('learns mean/std from the train split; a constant feature gets std 1', () => {
    const mass = pre.numeric.find((f) => f.name === 'body_mass_g');
    expect(mass?.mean).toBe(4000);
    expect(mass?.std).toBeCloseTo(Math.sqrt(2e6 / 3), 9);
    expect(pre.numeric.find((f) => f.name === 'bill_length_mm')).toEqual({
      name: 'bill_length_mm',
      mean: 40,
      std: 1,
    });
    expect(pre.labels).toEqual(['Adelie', 'Gentoo']);
  });

  it('standardises to mean 0 / std 1 and one-hot encodes categories', () => {
    const x = encodeFeatures(pre, train);
    expect(inputWidth(pre)).toBe(4 + 3 + 1);
    const massColumn = x.map((v) => v[3] ?? NaN);
    expect(massColumn.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 12);
    expect(massColumn.reduce((a, b) => a + b * b, 0) / 3).toBeCloseTo(1, 12);
    expect(x[1]?.slice(4)).toEqual([0, 1, 0, 1]);
  });

  it('encodes an unseen category as zeros and refuses an unknown species', () => {
    expect(encodeFeatures(pre, [row('Adelie', 'ATLANTIS', 4000, 'FEMALE')])[0]?.slice(4)).toEqual([
      0, 0, 0, 0,
    ]);
    expect(encodeLabels(pre, [row('Gentoo', 'BISCOE', 1)])).toEqual([1]);
    expect(() => encodeLabels(pre, [row('Chinstrap', 'DREAM', 1)])).toThrow(
      /'Chinstrap' is not one of the model's classes/,
    );
  });
});
