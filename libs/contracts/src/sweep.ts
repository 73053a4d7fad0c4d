import { z } from 'zod';
import { ParameterValueSchema, SourceSchema, TriggerSchema, type ParameterValue } from './request.ts';
import { ImageSchema, ReportRefSchema } from './status.ts';

/**
 * Most trials one sweep may run. Each trial is a child workflow that adds about ten events to the
 * sweep's history, so 1,000 trials stay far below Temporal's 50,000-event limit.
 */
export const MAX_SWEEP_TRIALS = 1000;

/** Most trials a sweep runs at once: each holds a pipeline job, and quotas are per project. */
export const MAX_SWEEP_PARALLEL = 32;

/** Whether a larger or a smaller metric is better. */
export const GoalSchema = z.enum(['max', 'min']);
/** Whether a larger or a smaller metric is better. */
export type Goal = z.infer<typeof GoalSchema>;

/** Random search: `count` combinations of the grid, drawn without replacement by a seeded generator. */
export const RandomSearchSchema = z.object({
  count: z.number().int().min(1).max(MAX_SWEEP_TRIALS),
  seed: z.number().int().default(0),
});

/** Input of the `trainingSweep` workflow. */
export const SweepRequestSchema = z
  .object({
    /** Registered pipeline name. */
    pipeline: z.string().regex(/^[a-z][a-z0-9-]*$/, 'pipeline must be a lowercase name'),
    source: SourceSchema,
    trigger: TriggerSchema,
    /** Parameters every trial shares. */
    parameters: z.record(z.string(), ParameterValueSchema).default({}),
    /** Values to try per parameter; trials are the cartesian product (or a random sample of it). */
    grid: z
      .record(z.string(), z.array(ParameterValueSchema).min(1, 'give at least one value'))
      .refine((g) => Object.keys(g).length > 0, 'give at least one grid parameter'),
    random: RandomSearchSchema.optional(),
    /** Trials running at once. */
    parallel: z.number().int().min(1).max(MAX_SWEEP_PARALLEL).default(2),
    /** Metric (a key of the trials' `metrics`) that picks the best trial. */
    metric: z.string().min(1).default('accuracy'),
    goal: GoalSchema.default('max'),
    /** Build a new image even when one exists for the commit. */
    rebuild: z.boolean().default(false),
    /** Labels copied onto every trial's pipeline job. */
    labels: z.record(z.string(), z.string()).default({}),
  })
  .superRefine((request, ctx) => {
    for (const name of Object.keys(request.grid)) {
      if (name in request.parameters) {
        ctx.addIssue({ code: 'custom', path: ['grid', name], message: `'${name}' is both swept and fixed` });
      }
    }
    const size = gridSize(request.grid);
    if (!request.random && size > MAX_SWEEP_TRIALS) {
      ctx.addIssue({
        code: 'custom',
        path: ['grid'],
        message: `the grid has ${size} combinations; the limit is ${MAX_SWEEP_TRIALS} (use random search)`,
      });
    }
  });
/** Input of the `trainingSweep` workflow. */
export type SweepRequest = z.infer<typeof SweepRequestSchema>;
/** What callers may pass (defaults not yet applied). */
export type SweepRequestInput = z.input<typeof SweepRequestSchema>;

/** One trial of a sweep and how it ended. */
export const SweepTrialSchema = z.object({
  /** 0-based position in the trial list. */
  index: z.number().int().nonnegative(),
  /** Workflow id of the trial's `trainingRun`. */
  runId: z.string(),
  /** The swept values plus the shared ones, as given. */
  parameters: z.record(z.string(), ParameterValueSchema),
  state: z.enum(['succeeded', 'failed', 'cancelled']),
  metrics: z.record(z.string(), z.number()).default({}),
  /** Whether the pipeline's evaluation blessed the trial's model (absent when it says nothing). */
  blessed: z.boolean().optional(),
  /** Where the trial's trained model is (never pushed by the trial itself). */
  modelArtifactUri: z.string().optional(),
  /** Full name of the trial's pipeline job. */
  pipelineJob: z.string().optional(),
  /** Why the trial failed. */
  error: z.string().optional(),
});
/** One trial of a sweep. */
export type SweepTrial = z.infer<typeof SweepTrialSchema>;

/** Result of `trainingSweep`. */
export const SweepResultSchema = z.object({
  sweepId: z.string(),
  pipeline: z.string(),
  commit: z.string(),
  image: ImageSchema.extend({ buildId: z.string(), reused: z.boolean() }),
  metric: z.string(),
  goal: GoalSchema,
  /** Every trial, in trial order. */
  trials: z.array(SweepTrialSchema),
  /** The best succeeded trial by the metric; absent when none reported it. */
  best: SweepTrialSchema.optional(),
  /** Where the best model was promoted to; absent when it was not blessed. */
  promoted: z.object({ uri: z.string(), version: z.string() }).optional(),
  /** Why nothing was promoted, when nothing was. */
  notPromoted: z.string().optional(),
  report: ReportRefSchema.optional(),
});
/** Result of `trainingSweep`. */
export type SweepResult = z.infer<typeof SweepResultSchema>;

/** Number of combinations of a grid. */
export function gridSize(grid: Record<string, readonly unknown[]>): number {
  return Object.values(grid).reduce((n, values) => n * values.length, 1);
}

/**
 * Mulberry32: a small seeded generator in [0, 1), so a random sweep draws the same trials on replay
 * and rerun (and a benchmark plans the same load for the same seed).
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The `index`-th combination of the grid (parameters in the grid's key order, last one fastest). */
function combination(
  grid: Record<string, readonly ParameterValue[]>,
  index: number,
): Record<string, ParameterValue> {
  const names = Object.keys(grid);
  const out: Record<string, ParameterValue> = {};
  let rest = index;
  for (let i = names.length - 1; i >= 0; i--) {
    const name = names[i] as string;
    const values = grid[name] as readonly ParameterValue[];
    out[name] = values[rest % values.length] as ParameterValue;
    rest = Math.floor(rest / values.length);
  }
  return Object.fromEntries(names.map((n) => [n, out[n] as ParameterValue]));
}

/**
 * The trials of a sweep: every combination of the grid in order, or `random.count` distinct ones
 * drawn with `random.seed` (all of them when the grid is smaller). Deterministic: the workflow and
 * the CLI's preview list the same trials.
 */
export function sweepTrials(
  grid: Record<string, readonly ParameterValue[]>,
  random?: { count: number; seed: number },
): Record<string, ParameterValue>[] {
  const size = gridSize(grid);
  if (!random || random.count >= size) {
    return Array.from({ length: size }, (_, i) => combination(grid, i));
  }
  const next = seededRandom(random.seed);
  const picked = new Set<number>();
  while (picked.size < random.count) picked.add(Math.floor(next() * size));
  return [...picked].map((i) => combination(grid, i));
}

/** Whether `a` is a better metric value than `b` for the goal. */
export function isBetter(a: number, b: number, goal: Goal): boolean {
  return goal === 'max' ? a > b : a < b;
}
