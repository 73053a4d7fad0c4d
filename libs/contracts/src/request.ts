import { z } from 'zod';
import { hasUrlCredentials } from './secrets.ts';

/**
 * What started a run: a Pub/Sub message (`pubsub` pulled, `push` pushed), a Temporal Schedule, a
 * person (`manual`), a git push webhook (`git`), or a hyperparameter sweep running a trial (`sweep`).
 */
export const TriggerKindSchema = z.enum(['pubsub', 'schedule', 'manual', 'push', 'git', 'sweep']);
/** What started a run. */
export type TriggerKind = z.infer<typeof TriggerKindSchema>;

/** The trigger of a run: its kind, the id that made it unique there, and when it fired. */
export const TriggerSchema = z.object({
  kind: TriggerKindSchema,
  /** Pub/Sub message id, schedule id, user name, push message id, webhook delivery id, sweep id. */
  id: z.string().min(1),
  /** ISO 8601 time the trigger fired. */
  at: z.string().min(1),
});
/** The trigger of a run. */
export type Trigger = z.infer<typeof TriggerSchema>;

/** The source the training image is built from. */
export const SourceSchema = z.object({
  /**
   * Any URL or path `git ls-remote` accepts (local repositories too), without credentials: the URL
   * lands in the memo, the history, logs and build substitutions. Private repositories get their
   * credentials from the worker's git configuration (a credential helper) and the build's secrets.
   */
  repoUrl: z
    .string()
    .min(1)
    .refine((url) => !hasUrlCredentials(url), {
      error: 'must not carry credentials (user:password@ or token@); give the worker git credentials instead',
    }),
  branch: z.string().min(1),
  /** Full commit SHA; when absent, the branch head at the start of the run. */
  commit: z
    .string()
    .regex(/^[0-9a-f]{7,64}$/, 'commit must be a hexadecimal SHA')
    .optional(),
});
/** The source the training image is built from. */
export type Source = z.infer<typeof SourceSchema>;

/** An image pinned by digest, and the build that produced it. */
export const PinnedImageSchema = z.object({
  uri: z.string().min(1),
  digest: z.string().regex(/^sha256:[0-9a-f]{64}$/, 'digest must be sha256:<64 hex>'),
  buildId: z.string().min(1),
});
/** An image pinned by digest. */
export type PinnedImage = z.infer<typeof PinnedImageSchema>;

/** A raw parameter value, before typing against the pipeline's declared runtime parameters. */
export const ParameterValueSchema = z.union([z.string(), z.number(), z.boolean()]);
/** A raw parameter value. */
export type ParameterValue = z.infer<typeof ParameterValueSchema>;

/** Input of the `trainingRun` workflow: what every trigger (bridge, CLI, schedule, webhook, sweep) starts a run with. */
export const TrainingRunRequestSchema = z.object({
  /** Registered pipeline name, e.g. `penguins`. */
  pipeline: z.string().regex(/^[a-z][a-z0-9-]*$/, 'pipeline must be a lowercase name'),
  /** Runtime parameter values, typed by the workflow against the pipeline's declaration. */
  parameters: z.record(z.string(), ParameterValueSchema).default({}),
  source: SourceSchema,
  /** gs:// URI of a precompiled pipeline spec: skips build and compile. */
  spec: z
    .string()
    .regex(/^gs:\/\/[^/]+\/.+/, 'spec must be a gs://bucket/object URI')
    .optional(),
  trigger: TriggerSchema,
  /** Labels copied onto the pipeline job. */
  labels: z.record(z.string(), z.string()).default({}),
  /**
   * Build a new image even when one for this commit and build config exists (`conveyor run
   * --rebuild`, message attribute `rebuild=true`).
   */
  rebuild: z.boolean().default(false),
  /**
   * An image already built for `source.commit` (a sweep builds once and pins it for its trials): the
   * run neither looks for nor builds one. Not settable by triggers.
   */
  image: PinnedImageSchema.optional(),
  /**
   * Whether a blessed model is pushed to the serving root. Sweep trials run with `false`; the sweep
   * promotes only its best trial's model.
   */
  promote: z.boolean().default(true),
});
/** Input of the `trainingRun` workflow. */
export type TrainingRunRequest = z.infer<typeof TrainingRunRequestSchema>;
/** What callers may pass (defaults not yet applied). */
export type TrainingRunRequestInput = z.input<typeof TrainingRunRequestSchema>;
