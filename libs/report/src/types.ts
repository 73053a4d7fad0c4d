import type { SweepResult, TrainingRunResult } from '@conveyor/contracts';

/** One epoch of training, as the trainer recorded it. Validation values only when the trainer had them. */
export interface EpochPoint {
  /** 1-based epoch number. */
  readonly epoch: number;
  readonly loss: number;
  readonly accuracy: number;
  readonly valLoss?: number | undefined;
  readonly valAccuracy?: number | undefined;
}

/** Everything a report shows: the run's result plus the per-epoch training history. */
export type ReportInput = TrainingRunResult & {
  /** Per-epoch history from the model artifact; empty when the trainer recorded none. */
  readonly history: readonly EpochPoint[];
  /** Link to the run in the Temporal Web UI, when known (only http(s) URLs become links). */
  readonly webUiUrl?: string | undefined;
  /** ISO time the report was rendered; omitted keeps the output a pure function of the run. */
  readonly generatedAt?: string | undefined;
};

/** A rendered report. */
export interface RenderedReport {
  /** Self-contained HTML page (inline CSS and SVG, no external assets). */
  readonly html: string;
  /** The same facts as Markdown, the plot as a table. */
  readonly markdown: string;
}

/** Everything a sweep report shows: the sweep's result (without where its own report is stored). */
export type SweepReportInput = Omit<SweepResult, 'report'> & {
  /** Link to the sweep in the Temporal Web UI, when known (only http(s) URLs become links). */
  readonly webUiUrl?: string | undefined;
};
