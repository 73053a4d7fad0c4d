import type { ImageWorkflows, ParameterValue, TaskState } from '@conveyor/contracts';
import type { PipelineConventions } from '@conveyor/pipeline';
import type { BuildInfo, BuildRequest, CreatePipelineJobInput, PipelineJobInfo } from '@conveyor/gcp';
import type { TypingOptions } from '@conveyor/pipeline/spec';

/** The image activities' seam over Temporal, defined in contracts so libs/platform implements the same type. */
export type { ImageWorkflows };

/** The Cloud Build calls the activities need (the `CloudBuild` wrapper, or a fake in tests). */
export interface BuildApi {
  createBuild(build: BuildRequest): Promise<BuildInfo>;
  getBuild(id: string): Promise<BuildInfo>;
  listBuildsByTag(tag: string): Promise<BuildInfo[]>;
  cancelBuild(id: string): Promise<BuildInfo>;
}

/** The Vertex calls the activities need (the `VertexPipelines` wrapper). */
export interface PipelineApi {
  jobName(pipelineJobId: string): string;
  createPipelineJob(input: CreatePipelineJobInput): Promise<PipelineJobInfo>;
  getPipelineJob(name: string): Promise<PipelineJobInfo>;
  cancelPipelineJob(name: string): Promise<void>;
}

/** The GCS calls the activities need (the `ObjectStore` wrapper). */
export interface StoreApi {
  writeIfAbsent(uri: string, contents: string | Buffer, contentType: string): Promise<boolean>;
  write(uri: string, contents: string | Buffer, contentType: string): Promise<void>;
  read(uri: string): Promise<Buffer>;
  list(prefixUri: string): Promise<string[]>;
  copy(fromUri: string, toUri: string): Promise<void>;
}

/** The image registry call the activities need (the `ImageRegistry` wrapper). */
export interface RegistryApi {
  /** Whether the image's repository still holds the manifest `digest`. */
  hasManifest(imageUri: string, digest: string): Promise<boolean>;
}

/** Typed runtime parameter values. */
export type TypedParameters = Record<string, ParameterValue>;

/** A parameter problem, naming the parameter. */
export interface ParameterProblem {
  readonly parameter: string;
  readonly message: string;
}

/**
 * Pipeline knowledge the activities need, kept behind an interface so libs/activities depends on
 * one seam: the worker wires it to libs/pipeline + libs/pipelines; tests can pass a small pipeline.
 */
export interface PipelineCatalog {
  /** Whether a pipeline is registered under `name`. */
  has(name: string): boolean;
  /** Where the pipeline's build config and parameters file are, and its model convention. */
  conventions(name: string): PipelineConventions;
  /**
   * Types raw values against the registered pipeline's runtime parameters and their declared rules
   * (bounds, URIs, operator settings), with the operator's `options`.
   * @throws an error with `issues: ParameterProblem[]` (InvalidParametersError) when they do not fit.
   */
  typeParameters(name: string, values: Record<string, unknown>, options?: TypingOptions): TypedParameters;
  /**
   * Like {@link typeParameters}, keeping only the given names in the order given (what a trigger
   * stores: the run applies defaults and settings when it runs).
   * @throws InvalidParametersError when they do not fit.
   */
  typeGivenParameters(
    name: string,
    values: Record<string, unknown>,
    options?: TypingOptions,
  ): Record<string, ParameterValue>;
  /** Compiles the registered pipeline for an image (digest-pinned). */
  compile(name: string, image: string): { json: string; sha256: string };
  /**
   * Types raw values against a compiled spec's (or PipelineJob file's) declared parameters: their
   * types only, since a spec carries no bounds or operator settings; URIs obey `options` still.
   */
  typeSpecParameters(
    spec: unknown,
    values: Record<string, unknown>,
    options?: TypingOptions,
  ): TypedParameters;
  /** The spec object to submit and its runtimeConfig for typed values (2.1.0 or 2.0.0). */
  toJob(
    spec: unknown,
    values: TypedParameters,
    gcsOutputDirectory: string,
  ): { pipelineSpec: Record<string, unknown>; runtimeConfig: CreatePipelineJobInput['runtimeConfig'] };
}

/** Settings of the activities (typed slice of the worker's config). */
export interface ActivitySettings {
  readonly projectId: string;
  readonly region: string;
  /** `gs://bucket/prefix`: specs go under `specs/`, job outputs under `runs/<job id>`. */
  readonly pipelineRoot: string;
  /** Service account pipeline jobs run as; Google's default when absent. */
  readonly serviceAccount?: string | undefined;
  /** Image repository, e.g. `us-central1-docker.pkg.dev/<project>/conveyor`. */
  readonly imageRepository: string;
  /** How long to wait between polls of a running build or job, in ms. */
  readonly pollIntervalMs: number;
  /**
   * Buckets whose URIs a run may use besides the pipeline root's (always allowed): precompiled specs,
   * data, serving roots. Every URI a run uses must be a `gs://` URI in one of them, without `..`.
   * @default [] (the pipeline root's bucket only)
   */
  readonly allowedBuckets?: readonly string[] | undefined;
  /**
   * Operator settings by pipeline, then parameter name (`CONVEYOR_PIPELINE_SETTINGS`): values that
   * replace the declared defaults, the only source of operator settings a run may not override.
   * @default {}
   */
  readonly pipelineSettings?: Readonly<Record<string, Readonly<Record<string, ParameterValue>>>> | undefined;
}

/** Everything `createActivities` needs. */
export interface ActivityDeps {
  readonly builds: BuildApi;
  readonly pipelines: PipelineApi;
  readonly store: StoreApi;
  readonly registry: RegistryApi;
  readonly images: ImageWorkflows;
  readonly catalog: PipelineCatalog;
  readonly settings: ActivitySettings;
}

/** What a build looks like to the workflow. */
export interface BuildOutcome {
  readonly id: string;
  readonly status: string;
  readonly logUrl: string;
  readonly steps: readonly { readonly id: string; readonly status: string }[];
  /** The first failed step, when the build failed. */
  readonly failedStep?: string | undefined;
  readonly statusDetail: string;
  readonly image?: { readonly uri: string; readonly digest: string } | undefined;
  /** Build duration in ms, when known. */
  readonly durationMs?: number | undefined;
}

/** What a pipeline job looks like to the workflow. */
export interface JobOutcome {
  readonly name: string;
  readonly state: string;
  readonly tasks: readonly TaskState[];
  /** The first failed task and its error, when the job failed. */
  readonly failedTask?: { readonly name: string; readonly error: string } | undefined;
  readonly error?: string | undefined;
  readonly durationMs?: number | undefined;
  /** Where to read the job's and its tasks' logs (Vertex AI console). */
  readonly logUrl?: string | undefined;
}
