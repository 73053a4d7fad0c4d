import { z } from 'zod';
import { hasUrlCredentials } from './secrets.ts';

/** What started a run. */
export const TriggerKindSchema = z.enum(['pubsub', 'schedule', 'manual', 'push']);
/** What started a run. */
export type TriggerKind = z.infer<typeof TriggerKindSchema>;

/** The trigger of a run: its kind, the id that made it unique there, and when it fired. */
export const TriggerSchema = z.object({
  kind: TriggerKindSchema,
  /** Pub/Sub message id, schedule id, user name, push message id. */
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

/** A raw parameter value, before typing against the pipeline's declared runtime parameters. */
export const ParameterValueSchema = z.union([z.string(), z.number(), z.boolean()]);
/** A raw parameter value. */
export type ParameterValue = z.infer<typeof ParameterValueSchema>;

/** Input of the `trainingRun` workflow (DESIGN.md §5). */
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
});
/** Input of the `trainingRun` workflow. */
export type TrainingRunRequest = z.infer<typeof TrainingRunRequestSchema>;
/** What callers may pass (defaults not yet applied). */
export type TrainingRunRequestInput = z.input<typeof TrainingRunRequestSchema>;
