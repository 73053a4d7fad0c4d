// The JSON shape of the PipelineSpec 2.1.0 parts Conveyor writes (protobuf JSON, camelCase).
import type { ParameterType, ParameterValue } from './types.ts';

/** `ArtifactTypeSchema`. */
export interface ArtifactTypeJson {
  readonly schemaTitle: string;
  readonly schemaVersion: string;
}

/** `ComponentInputsSpec.ParameterSpec` / `ComponentOutputsSpec.ParameterSpec`. */
export interface ParameterSpecJson {
  readonly parameterType: ParameterType;
  readonly defaultValue?: ParameterValue;
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

/** `TaskInputsSpec.InputParameterSpec` (the three forms Conveyor writes). */
export type TaskInputParameterJson =
  | { readonly componentInputParameter: string }
  | { readonly runtimeValue: { readonly constant: ParameterValue } }
  | { readonly taskOutputParameter: { readonly producerTask: string; readonly outputParameterKey: string } };

/** `TaskInputsSpec.InputArtifactSpec` (task output form). */
export interface TaskInputArtifactJson {
  readonly taskOutputArtifact: { readonly producerTask: string; readonly outputArtifactKey: string };
}

/** `PipelineTaskSpec`. */
export interface PipelineTaskJson {
  readonly taskInfo: { readonly name: string };
  readonly componentRef: { readonly name: string };
  readonly dependentTasks?: readonly string[];
  readonly inputs?: {
    readonly parameters?: Readonly<Record<string, TaskInputParameterJson>>;
    readonly artifacts?: Readonly<Record<string, TaskInputArtifactJson>>;
  };
  readonly cachingOptions: { readonly enableCache?: boolean };
  readonly retryPolicy?: {
    readonly maxRetryCount: number;
    readonly backoffDuration?: string;
    readonly backoffFactor?: number;
    readonly backoffMaxDuration?: string;
  };
}

/** `ComponentSpec` (container components only). */
export interface ComponentSpecJson {
  readonly inputDefinitions?: IoSpecJson;
  readonly outputDefinitions?: IoSpecJson;
  readonly executorLabel: string;
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
    readonly dag: { readonly tasks: Readonly<Record<string, PipelineTaskJson>> };
  };
  readonly components: Readonly<Record<string, ComponentSpecJson>>;
  readonly deploymentSpec: {
    readonly executors: Readonly<Record<string, { readonly container: ContainerSpecJson }>>;
  };
}
