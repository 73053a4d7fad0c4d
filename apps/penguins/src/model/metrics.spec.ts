import { describe, expect, it } from 'vitest';
import { classificationReport, metricsMetadata } from './metrics.ts';

describe('classificationReport', () => {
  // actual:    A A A B B C
  // predicted: A A B B C C
  const report = classificationReport(['A', 'B', 'C'], [0, 0, 0, 1, 1, 2], [0, 0, 1, 1, 2, 2]);

  it('computes accuracy and the confusion matrix (rows actual, columns predicted)', () => {
    expect(report.accuracy).toBeCloseTo(4 / 6, 12);
    expect(report.confusionMatrix).toEqual([
      [2, 1, 0],
      [0, 1, 1],
      [0, 0, 1],
    ]);
  });

  it('computes per-class precision, recall and F1 by hand', () => {
    const [a, b, c] = report.perClass;
    expect(a).toEqual({ label: 'A', precision: 1, recall: 2 / 3, f1: 0.8, support: 3 });
    expect(b?.precision).toBeCloseTo(0.5, 12);
    expect(b?.recall).toBeCloseTo(0.5, 12);
    expect(c?.precision).toBeCloseTo(0.5, 12);
    expect(c?.recall).toBe(1);
    expect(c?.f1).toBeCloseTo(2 / 3, 12);
    expect(report.macroF1).toBeCloseTo((0.8 + 0.5 + 2 / 3) / 3, 12);
  });

  it('gives 0, not NaN, for a class never predicted', () => {
    const r = classificationReport(['A', 'B'], [0, 1], [0, 0]);
    expect(r.perClass[1]).toEqual({ label: 'B', precision: 0, recall: 0, f1: 0, support: 1 });
  });

  it('rejects mismatched lengths, no examples and out-of-range indices', () => {
    expect(() => classificationReport(['A'], [0], [])).toThrow(/1 labels but 0 predictions/);
    expect(() => classificationReport(['A'], [], [])).toThrow(/no examples/);
    expect(() => classificationReport(['A'], [0], [3])).toThrow(/out of range/);
  });

  it('exposes flat scalars and a KFP-shaped confusion matrix as metadata', () => {
    const m = metricsMetadata(report);
    expect(m['accuracy']).toBeCloseTo(4 / 6, 12);
    expect(m['recall_C']).toBe(1);
    expect(m['confusionMatrix']).toEqual({
      annotationSpecs: [{ displayName: 'A' }, { displayName: 'B' }, { displayName: 'C' }],
      rows: [{ row: [2, 1, 0] }, { row: [0, 1, 1] }, { row: [0, 0, 1] }],
    });
  });
});
