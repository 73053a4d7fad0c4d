/** The parts of a KFP PipelineSpec the emulator executes, read out of the submitted JSON. */
import type { Json } from './struct.ts';

/** Declared parameter types (2.0.0 `INT|DOUBLE|STRING` are mapped onto these). */
export type ParameterType = 'NUMBER_INTEGER' | 'NUMBER_DOUBLE' | 'STRING' | 'BOOLEAN' | 'LIST' | 'STRUCT';

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
}

/** A component: its interface and either an executor or a nested DAG. */
export interface ComponentDef {
  name: string;
  inputParameters: Record<string, ParameterDef>;
  inputArtifacts: Record<string, ArtifactDef>;
  outputParameters: Record<string, ParameterDef>;
  outputArtifacts: Record<string, ArtifactDef>;
  executorLabel?: string;
  hasDag: boolean;
}

/** `deploymentSpec.executors[x].container`. */
export interface ContainerDef {
  image: string;
  /** Empty when the spec gives none (the image's entrypoint applies). */
  command: string[];
  args: string[];
  env: Record<string, string>;
}

/** Where a task input parameter comes from. */
export type ParameterSource =
  | { kind: 'componentInput'; name: string }
  | { kind: 'constant'; value: Json }
  | { kind: 'taskOutput'; producerTask: string; key: string };

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

/** One task of the root DAG. */
export interface TaskDef {
  /** Key in `root.dag.tasks`: what `producerTask` and `dependentTasks` refer to. */
  key: string;
  /** `taskInfo.name` (the key when absent): the task name Vertex reports. */
  name: string;
  componentRef: string;
  /** Explicit `dependentTasks` plus producers of data inputs. */
  dependsOn: string[];
  parameters: Record<string, ParameterSource>;
  artifacts: Record<string, ArtifactSource>;
  retry?: RetryPolicy;
  /** A `triggerPolicy.condition` the emulator does not evaluate (the task then fails saying so). */
  condition?: string;
  /** `iteratorPolicy` / parameterIterator (ParallelFor), not supported. */
  iterator: boolean;
}

/** A submitted spec, read. */
export interface PipelineSpec {
  schemaVersion: '2.0.0' | '2.1.0';
  pipelineName: string;
  defaultPipelineRoot?: string;
  root: ComponentDef;
  components: Record<string, ComponentDef>;
  executors: Record<string, ContainerDef | { unsupported: string }>;
  tasks: TaskDef[];
}
