// The JSON shape of the PipelineSpec 2.1.0 parts Conveyor writes (protobuf JSON, camelCase).
import type { ComponentParameterType, JsonValue } from './types.ts';

/** `ArtifactTypeSchema`. */
export interface ArtifactTypeJson {
  readonly schemaTitle: string;
  readonly schemaVersion: string;
}

/** `ComponentInputsSpec.ParameterSpec` / `ComponentOutputsSpec.ParameterSpec`. */
export interface ParameterSpecJson {
  readonly parameterType: ComponentParameterType;
  readonly defaultValue?: JsonValue;
  readonly isOptional?: boolean;
  readonly description?: string;
}

/** `ComponentInputsSpec.ArtifactSpec` / `ComponentOutputsSpec.ArtifactSpec`. */
export interface ArtifactSpecJson {
  readonly artifactType: ArtifactTypeJson;
  readonly description?: string;
}

/** `ComponentInputsSpec` / `ComponentOutputsSpec`. */
export interface IoSpecJson {
  readonly parameters?: Readonly<Record<string, ParameterSpecJson>>;
  readonly artifacts?: Readonly<Record<string, ArtifactSpecJson>>;
}

/** `TaskInputsSpec.InputParameterSpec` (the forms Conveyor writes). */
export type TaskInputParameterJson =
  | { readonly componentInputParameter: string }
  | { readonly runtimeValue: { readonly constant: JsonValue } }
  | { readonly taskOutputParameter: { readonly producerTask: string; readonly outputParameterKey: string } }
  | { readonly taskFinalStatus: { readonly producerTask: string } };

/** `TaskInputsSpec.InputArtifactSpec` (task output form, or a DAG's input inside a group). */
export type TaskInputArtifactJson =
  | { readonly taskOutputArtifact: { readonly producerTask: string; readonly outputArtifactKey: string } }
  | { readonly componentInputArtifact: string };

/** `TaskInputsSpec`. */
export interface TaskInputsJson {
  readonly parameters?: Readonly<Record<string, TaskInputParameterJson>>;
  readonly artifacts?: Readonly<Record<string, TaskInputArtifactJson>>;
}

/** `PipelineTaskSpec` of a container task. */
export interface PipelineTaskJson {
  readonly taskInfo: { readonly name: string };
  readonly componentRef: { readonly name: string };
  readonly dependentTasks?: readonly string[];
  readonly inputs?: TaskInputsJson;
  readonly cachingOptions: { readonly enableCache?: boolean };
  readonly retryPolicy?: {
    readonly maxRetryCount: number;
    readonly backoffDuration?: string;
    readonly backoffFactor?: number;
    readonly backoffMaxDuration?: string;
  };
  /** Exit tasks: `{strategy: 'ALL_UPSTREAM_TASKS_COMPLETED'}`. */
  readonly triggerPolicy?: TriggerPolicyJson;
}

/** `PipelineTaskSpec.TriggerPolicy`. */
export interface TriggerPolicyJson {
  /** CEL over the task's inputs (`inputs.parameter_values['…']`). */
  readonly condition?: string;
  readonly strategy?: 'ALL_UPSTREAM_TASKS_COMPLETED';
}

/** `PipelineTaskSpec` of a control-flow group's task (runs its DAG component). */
export interface GroupTaskJson {
  readonly taskInfo: { readonly name: string };
  readonly componentRef: { readonly name: string };
  readonly dependentTasks?: readonly string[];
  readonly inputs?: TaskInputsJson;
  readonly triggerPolicy?: TriggerPolicyJson;
  readonly parameterIterator?: {
    /** The input of the loop's DAG that receives the current item. */
    readonly itemInput: string;
    /** `raw`: a JSON list as text; `inputParameter`: an input of the task holding a LIST. */
    readonly items: { readonly raw: string } | { readonly inputParameter: string };
  };
  readonly iteratorPolicy?: { readonly parallelismLimit: number };
}

/** `DagOutputsSpec` (a loop's gathered outputs for `collected`). */
export interface DagOutputsJson {
  readonly parameters: Readonly<
    Record<
      string,
      {
        readonly valueFromParameter: {
          readonly producerSubtask: string;
          readonly outputParameterKey: string;
        };
      }
    >
  >;
}

/** `ComponentSpec` of a container component. */
export interface ComponentSpecJson {
  readonly inputDefinitions?: IoSpecJson;
  readonly outputDefinitions?: IoSpecJson;
  readonly executorLabel: string;
}

/** `ComponentSpec` of a control-flow group: a DAG. */
export interface DagComponentSpecJson {
  readonly inputDefinitions?: IoSpecJson;
  readonly outputDefinitions?: IoSpecJson;
  readonly dag: {
    readonly tasks: Readonly<Record<string, PipelineTaskJson | GroupTaskJson>>;
    readonly outputs?: DagOutputsJson;
  };
}

/** `PipelineDeploymentConfig.PipelineContainerSpec`. */
export interface ContainerSpecJson {
  readonly image: string;
  readonly command: readonly string[];
  readonly args?: readonly string[];
  readonly env?: readonly { readonly name: string; readonly value: string }[];
  readonly resources?: Readonly<Record<string, string>>;
}

/** `PipelineSpec` as Conveyor writes it. */
export interface PipelineSpecJson {
  readonly schemaVersion: '2.1.0';
  readonly sdkVersion: string;
  readonly pipelineInfo: { readonly name: string; readonly description?: string };
  readonly root: {
    readonly inputDefinitions?: IoSpecJson;
    readonly dag: { readonly tasks: Readonly<Record<string, PipelineTaskJson | GroupTaskJson>> };
  };
  readonly components: Readonly<Record<string, ComponentSpecJson | DagComponentSpecJson>>;
  readonly deploymentSpec: {
    readonly executors: Readonly<Record<string, { readonly container: ContainerSpecJson }>>;
  };
}
