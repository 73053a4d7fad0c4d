import { z } from 'zod';
import { TriggerSchema } from './request.ts';

/** Stages of a run, in order; the last three are terminal. */
export const StageSchema = z.enum([
  'validating',
  'resolving',
  'building',
  'compiling',
  'uploading',
  'submitting',
  'running',
  'collecting',
  /** Writing the run report (report.html, report.md); its failure does not fail the run. */
  'reporting',
  'cancelling',
  'succeeded',
  'failed',
  'cancelled',
]);
/** A stage of a run. */
export type Stage = z.infer<typeof StageSchema>;

/** The stages a run ends in. */
export const TerminalStages: readonly Stage[] = ['succeeded', 'failed', 'cancelled'];

/** The stages a run works through, in order (every stage but the terminal ones). */
export const WorkingStages: readonly Stage[] = StageSchema.options.filter((s) => !TerminalStages.includes(s));

/** The image a build produced. */
export const ImageSchema = z.object({
  /** Image URI as tagged by the build. */
  uri: z.string(),
  /** `sha256:…` digest; the spec pins the image by it. */
  digest: z.string(),
});
/** The image a build produced. */
export type Image = z.infer<typeof ImageSchema>;

/** A build's identity and log. */
export const BuildRefSchema = z.object({
  id: z.string(),
  /** Console/log URL of the build. */
  logUrl: z.string().optional(),
  /**
   * True when the run adopted an image this build had produced earlier (for the same pipeline,
   * commit and build config) instead of building: the report says "image reused from build <id>".
   */
  reused: z.boolean().optional(),
});
/** A build's identity and log. */
export type BuildRef = z.infer<typeof BuildRefSchema>;

/** The uploaded pipeline spec. */
export const SpecRefSchema = z.object({
  /** gs:// URI of the compiled spec (content-addressed by sha256 when Conveyor compiled it). */
  uri: z.string(),
  /** Hex sha256 of the spec bytes. */
  sha256: z.string().optional(),
});

/** State of one pipeline task (Vertex `PipelineTaskDetail.State` name). */
export const TaskStateSchema = z.object({
  name: z.string(),
  state: z.string(),
});
/** State of one pipeline task. */
export type TaskState = z.infer<typeof TaskStateSchema>;

/** Milliseconds spent per stage (only stages that ran). */
export const TimingsSchema = z.partialRecord(StageSchema, z.number().nonnegative());

/** What a run has learned so far; every field fills in as the stages pass. */
export const RunFieldsSchema = z.object({
  /** Workflow id: the run's business key. */
  runId: z.string(),
  pipeline: z.string(),
  trigger: TriggerSchema,
  /** Parameters typed against the pipeline's declaration. */
  parameters: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  commit: z.string().optional(),
  build: BuildRefSchema.optional(),
  image: ImageSchema.optional(),
  spec: SpecRefSchema.optional(),
  /** Full resource name `projects/…/locations/…/pipelineJobs/<id>`. */
  pipelineJob: z.string().optional(),
  tasks: z.array(TaskStateSchema).optional(),
  timings: TimingsSchema,
});

/** Answer of the `status` query. */
export const RunStatusSchema = RunFieldsSchema.extend({
  stage: StageSchema,
  /** Set once the run failed: the failure message. */
  error: z.string().optional(),
});
/** Answer of the `status` query. */
export type RunStatus = z.infer<typeof RunStatusSchema>;

/** Rough cost estimate; list prices, not a bill. */
export const CostEstimateSchema = z.object({
  usd: z.number().nonnegative(),
  /** How it was computed, e.g. `build 3.2 min × $0.003 + pipeline run fee …`. */
  basis: z.string(),
});
/** Rough cost estimate. */
export type CostEstimate = z.infer<typeof CostEstimateSchema>;

/** Where a run's report is stored, next to the job's artifacts. */
export const ReportRefSchema = z.object({
  /** gs:// URI of `report.html` (parameters, lineage, metrics, loss/accuracy plot). */
  htmlUri: z.string(),
  /** gs:// URI of `report.md` (the same facts, the plot as a table). */
  markdownUri: z.string(),
});
/** Where a run's report is stored. */
export type ReportRef = z.infer<typeof ReportRefSchema>;

/** Result of a successful `trainingRun`: the full record of what produced the model. */
export const TrainingRunResultSchema = RunFieldsSchema.extend({
  spec: SpecRefSchema,
  pipelineJob: z.string(),
  /** Final Vertex pipeline state, e.g. `PIPELINE_STATE_SUCCEEDED`. */
  state: z.string(),
  tasks: z.array(TaskStateSchema),
  /** Scalar metrics reported by the pipeline's Metrics artifacts, e.g. `accuracy`. */
  metrics: z.record(z.string(), z.number()),
  /** Where the pusher put the model; absent when the model was not blessed or the run did not promote. */
  modelUri: z.string().optional(),
  /** The trained model artifact, pushed or not (when the pipeline declares its model). */
  modelArtifactUri: z.string().optional(),
  /** Whether evaluation blessed the model (when the pipeline declares a blessing output). */
  blessed: z.boolean().optional(),
  estimatedCost: CostEstimateSchema,
  /** The run report; absent when writing it failed (the run still succeeded) or the worker predates reports. */
  report: ReportRefSchema.optional(),
});
/** Result of a successful `trainingRun`. */
export type TrainingRunResult = z.infer<typeof TrainingRunResultSchema>;
