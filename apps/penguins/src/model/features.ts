import {
  CATEGORICAL_FEATURES,
  NUMERIC_FEATURES,
  type CategoricalFeature,
  type NumericFeature,
  type Penguin,
} from '../data/penguin.ts';

/**
 * Everything needed to turn an example into model input, learned from the train split only and
 * stored with the model (`preprocessing.json`) so evaluation and serving encode the same way.
 */
export interface Preprocessing {
  /** Standardisation of each numeric feature: (x − mean) / std. */
  readonly numeric: readonly { readonly name: NumericFeature; readonly mean: number; readonly std: number }[];
  /** Vocabulary of each categorical feature; values outside it encode as all zeros. */
  readonly categorical: readonly {
    readonly name: CategoricalFeature;
    readonly vocabulary: readonly string[];
  }[];
  /** Class names in output order (sorted). */
  readonly labels: readonly string[];
}

/** Learns means, standard deviations (population), vocabularies and labels from training examples. */
export function fitPreprocessing(rows: readonly Penguin[]): Preprocessing {
  if (rows.length === 0) throw new Error('cannot fit preprocessing on zero examples');
  const numeric = NUMERIC_FEATURES.map((name) => {
    const xs = rows.map((r) => r[name]);
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const variance = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / xs.length;
    // A constant feature carries no information; std 1 keeps it at 0 instead of dividing by zero.
    return { name, mean, std: variance > 0 ? Math.sqrt(variance) : 1 };
  });
  const categorical = CATEGORICAL_FEATURES.map((name) => ({
    name,
    vocabulary: [...new Set(rows.map((r) => r[name]).filter((v): v is string => v !== null))].sort(),
  }));
  const labels = [...new Set(rows.map((r) => r.species))].sort();
  return { numeric, categorical, labels };
}

/** Width of the encoded input vector. */
export function inputWidth(pre: Preprocessing): number {
  return pre.numeric.length + pre.categorical.reduce((n, c) => n + c.vocabulary.length, 0);
}

/** Encodes examples: standardised numeric features, then one-hot categorical features. */
export function encodeFeatures(pre: Preprocessing, rows: readonly Penguin[]): number[][] {
  return rows.map((r) => [
    ...pre.numeric.map((f) => (r[f.name] - f.mean) / f.std),
    ...pre.categorical.flatMap((c) => c.vocabulary.map((v) => (r[c.name] === v ? 1 : 0))),
  ]);
}

/**
 * Encodes species as class indices in `pre.labels` order.
 * @throws Error naming a species the model was not trained on.
 */
export function encodeLabels(pre: Preprocessing, rows: readonly Penguin[]): number[] {
  return rows.map((r) => {
    const i = pre.labels.indexOf(r.species);
    if (i === -1)
      throw new Error(`species '${r.species}' is not one of the model's classes (${pre.labels.join(', ')})`);
    return i;
  });
}
