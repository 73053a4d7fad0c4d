/** The parts of a KFP PipelineSpec the emulator executes, read out of the submitted JSON. */
import type { Json, JsonObject } from './struct.ts';

/** Declared parameter types (2.0.0 `INT|DOUBLE|STRING` are mapped onto these). */
export type ParameterType =
  | 'NUMBER_INTEGER'
  | 'NUMBER_DOUBLE'
  | 'STRING'
  | 'BOOLEAN'
  | 'LIST'
  | 'STRUCT'
  | 'TASK_FINAL_STATUS'
  | 'TASK_CONFIG';

/** One declared input or output parameter. */
export interface ParameterDef {
  name: string;
  type: ParameterType;
  /** Present when the spec declares a default. */
  defaultValue?: Json;
  isOptional: boolean;
}

/** One declared input or output artifact. */
export interface ArtifactDef {
  name: string;
  schemaTitle: string;
  schemaVersion: string;
  isOptional: boolean;
  /** `isArtifactList`: a list of artifacts (dsl.Collected, `Input[List[Dataset]]`). */
  isList: boolean;
}

/** Where a DAG output parameter comes from: one subtask's output, or the first of several that ran (dsl.OneOf). */
export interface DagOutputParameter {
  selectors: { producerSubtask: string; key: string }[];
  oneOf: boolean;
}

/** A DAG: its tasks and where its outputs come from. */
export interface DagDef {
  tasks: TaskDef[];
  outputParameters: Record<string, DagOutputParameter>;
  /** Output artifact → candidate `{producerSubtask, key}` selectors (the first that produced wins). */
  outputArtifacts: Record<string, { producerSubtask: string; key: string }[]>;
}

/** A component: its interface and either an executor or a nested DAG. */
export interface ComponentDef {
  name: string;
  inputParameters: Record<string, ParameterDef>;
  inputArtifacts: Record<string, ArtifactDef>;
  outputParameters: Record<string, ParameterDef>;
  outputArtifacts: Record<string, ArtifactDef>;
  executorLabel?: string;
  dag?: DagDef;
  /** The component as submitted (part of the cache key). */
  raw: JsonObject;
}

/** `deploymentSpec.executors[x].container`. */
export interface ContainerDef {
  kind: 'container';
  image: string;
  /** Empty when the spec gives none (the image's entrypoint applies). */
  command: string[];
  args: string[];
  env: Record<string, string>;
  /** The executor as submitted (part of the cache key). */
  raw: JsonObject;
}

/** `deploymentSpec.executors[x].importer` (dsl.importer). */
export interface ImporterDef {
  kind: 'importer';
  /** The URI: a constant (placeholders allowed) or the name of the task input parameter holding it. */
  artifactUri: { constant: string } | { runtimeParameter: string };
  schemaTitle: string;
  schemaVersion: string;
  metadata: JsonObject;
}

/** An executor kind the emulator does not run (resolver, custom job, …): tasks using it fail saying so. */
export interface UnsupportedExecutor {
  kind: 'unsupported';
  reason: string;
}

/** Any executor. */
export type ExecutorDef = ContainerDef | ImporterDef | UnsupportedExecutor;

/** Where a task input parameter comes from. */
export type ParameterSource = (
  | { kind: 'componentInput'; name: string }
  | { kind: 'constant'; value: Json }
  | { kind: 'taskOutput'; producerTask: string; key: string }
  | { kind: 'taskFinalStatus'; producerTask: string }
) & {
  /** `parameterExpressionSelector` (CEL over the value, e.g. a field of a ParallelFor item). */
  selector?: string;
};

/** Where a task input artifact comes from. */
export type ArtifactSource =
  { kind: 'componentInput'; name: string } | { kind: 'taskOutput'; producerTask: string; key: string };

/** `retryPolicy` of a task, durations in milliseconds. */
export interface RetryPolicy {
  maxRetryCount: number;
  backoffMs: number;
  backoffFactor: number;
  backoffMaxMs: number;
}

/** `parameterIterator` / `artifactIterator` (dsl.ParallelFor). */
export type IteratorDef =
  | { kind: 'parameter'; itemInput: string; items: { raw: string } | { inputParameter: string } }
  | { kind: 'artifact'; itemInput: string; inputArtifact: string };

/** One task of a DAG. */
export interface TaskDef {
  /** Key in its DAG's `tasks`: what `producerTask` and `dependentTasks` refer to. */
  key: string;
  /** `taskInfo.name` (the key when absent): the task name Vertex reports. */
  name: string;
  componentRef: string;
  /** Explicit `dependentTasks` plus producers of data inputs (siblings in the same DAG). */
  dependsOn: string[];
  parameters: Record<string, ParameterSource>;
  artifacts: Record<string, ArtifactSource>;
  retry?: RetryPolicy;
  /** `triggerPolicy.condition` (CEL over the task's inputs: dsl.If / Elif / Else). */
  condition?: string;
  /** `triggerPolicy.strategy`: COMPLETED runs after upstream tasks end whatever their state (exit handlers, ignore_upstream_failure). */
  runAfterUpstreamCompleted: boolean;
  iterator?: IteratorDef;
  /** `iteratorPolicy.parallelismLimit`; 0 = no limit. */
  parallelism: number;
  /** `cachingOptions`. */
  cache: { enabled: boolean; key?: string };
}

/** A submitted spec, read. */
export interface PipelineSpec {
  schemaVersion: '2.0.0' | '2.1.0';
  pipelineName: string;
  defaultPipelineRoot?: string;
  /** The root component (its DAG is the pipeline). */
  root: ComponentDef & { dag: DagDef };
  components: Record<string, ComponentDef>;
  executors: Record<string, ExecutorDef>;
}
