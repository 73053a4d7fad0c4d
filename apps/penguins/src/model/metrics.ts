/** Classification metrics computed in plain arithmetic, so they can be checked by hand. */

/** Precision, recall and F1 of one class. */
export interface ClassMetrics {
  /** Class name. */
  readonly label: string;
  /** Of the examples predicted as this class, the share that are (0 when none predicted). */
  readonly precision: number;
  /** Of the examples of this class, the share predicted so (0 when none exist). */
  readonly recall: number;
  /** Harmonic mean of precision and recall (0 when both are 0). */
  readonly f1: number;
  /** Number of examples of this class. */
  readonly support: number;
}

/** Metrics of a classifier on one data split. */
export interface ClassificationReport {
  /** Share of examples predicted correctly. */
  readonly accuracy: number;
  /** Number of examples. */
  readonly examples: number;
  /** Per-class metrics, in label order. */
  readonly perClass: readonly ClassMetrics[];
  /** Unweighted mean F1 over classes. */
  readonly macroF1: number;
  /** confusionMatrix[actual][predicted] counts, in label order. */
  readonly confusionMatrix: readonly (readonly number[])[];
  /** Class names, in the order of the matrix rows and columns. */
  readonly labels: readonly string[];
}

const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);

/**
 * Computes accuracy, per-class precision/recall/F1 and the confusion matrix.
 * @throws Error when the arrays differ in length, are empty, or hold an index outside `labels`.
 */
export function classificationReport(
  labels: readonly string[],
  actual: readonly number[],
  predicted: readonly number[],
): ClassificationReport {
  if (actual.length !== predicted.length)
    throw new Error(`${actual.length} labels but ${predicted.length} predictions`);
  if (actual.length === 0) throw new Error('no examples to evaluate');
  const k = labels.length;
  const matrix = labels.map(() => new Array<number>(k).fill(0));
  actual.forEach((a, i) => {
    const p = predicted[i] ?? -1;
    const row = matrix[a];
    if (row === undefined || p < 0 || p >= k)
      throw new Error(`class index out of range at example ${i}: ${a} → ${p}`);
    row[p] = (row[p] ?? 0) + 1;
  });
  const at = (r: number, c: number): number => matrix[r]?.[c] ?? 0;
  const perClass = labels.map((label, c) => {
    const tp = at(c, c);
    const support = labels.reduce((n, _l, p) => n + at(c, p), 0);
    const predictedAs = labels.reduce((n, _l, a) => n + at(a, c), 0);
    const precision = ratio(tp, predictedAs);
    const recall = ratio(tp, support);
    return { label, precision, recall, f1: ratio(2 * precision * recall, precision + recall), support };
  });
  const correct = labels.reduce((n, _l, c) => n + at(c, c), 0);
  return {
    accuracy: correct / actual.length,
    examples: actual.length,
    perClass,
    macroF1: perClass.reduce((s, m) => s + m.f1, 0) / k,
    confusionMatrix: matrix,
    labels,
  };
}

/**
 * The report as artifact metadata: flat scalars (what Vertex shows for a system.Metrics artifact)
 * plus `confusionMatrix` in KFP's ClassificationMetrics shape ({annotationSpecs, rows}).
 */
export function metricsMetadata(report: ClassificationReport): Record<string, unknown> {
  const scalars: Record<string, number> = {
    accuracy: report.accuracy,
    macro_f1: report.macroF1,
    examples: report.examples,
  };
  for (const m of report.perClass) {
    scalars[`precision_${m.label}`] = m.precision;
    scalars[`recall_${m.label}`] = m.recall;
    scalars[`f1_${m.label}`] = m.f1;
  }
  return {
    ...scalars,
    confusionMatrix: {
      annotationSpecs: report.labels.map((displayName) => ({ displayName })),
      rows: report.confusionMatrix.map((row) => ({ row: [...row] })),
    },
  };
}
