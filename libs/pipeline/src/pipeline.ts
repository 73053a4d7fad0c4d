// Pipelines: runtime parameters plus tasks wired by data flow. Passing a task's output to another
// task's input makes the consumer depend on the producer.
import type { Component } from './component.ts';
import { PipelineDefinitionError } from './errors.ts';
import type { RuntimeParameter } from './read-spec.ts';
import { checkDeclaredRules } from './declared-rules.ts';
import { rulesOf, type ParameterRules } from './rules.ts';
import type { ArtifactDecls, ArtifactType, ParameterDecls, ParameterType, ValueOf } from './types.ts';

/**
 * A runtime parameter of a pipeline, with its rules: bounds (`min`, `max`, `exclusiveMin`,
 * `exclusiveMax`, `enum`), `uri`, and who may set it (`setBy: 'operator'` for an operator setting,
 * `overridable` to let runs set it anyway). `typeParameters` enforces them.
 */
export interface RuntimeParameterDecl<T extends ParameterType = ParameterType> extends Omit<
  ParameterRules,
  'enum'
> {
  readonly type: T;
  /** The only allowed values. */
  readonly enum?: readonly ValueOf<T>[];
  /** Used when the run does not set it; without a default the parameter is required. */
  readonly default?: ValueOf<T>;
  /** Shown by `conveyor compile` readers and in the spec. */
  readonly description?: string;
}

/** Runtime parameters by name. */
export type RuntimeParameterDecls = Readonly<Record<string, RuntimeParameterDecl>>;

/** A pipeline runtime parameter used as a task input. */
export interface PipelineParamRef<T extends ParameterType = ParameterType> {
  readonly ref: 'pipelineParam';
  readonly name: string;
  readonly type: T;
}

/** An output parameter of an upstream task used as a task input. */
export interface TaskOutputParamRef<T extends ParameterType = ParameterType> {
  readonly ref: 'taskOutputParam';
  readonly task: string;
  readonly key: string;
  readonly type: T;
}

/** An output artifact of an upstream task used as a task input. */
export interface TaskOutputArtifactRef<T extends ArtifactType = ArtifactType> {
  readonly ref: 'taskOutputArtifact';
  readonly task: string;
  readonly key: string;
  readonly type: T;
}

/** What can feed an input parameter of type T: a constant, a pipeline parameter or a task output. */
export type ParamSource<T extends ParameterType> = ValueOf<T> | PipelineParamRef<T> | TaskOutputParamRef<T>;

/** The inputs a task must pass to its component, by name. */
export type TaskInputs<IP extends ParameterDecls, IA extends ArtifactDecls> = {
  readonly [K in keyof IP]: ParamSource<IP[K]>;
} & { readonly [K in keyof IA]: TaskOutputArtifactRef<IA[K]> };

/** Retry policy of a task (`retryPolicy`). */
export interface RetryPolicy {
  /** How many retries after the first attempt. */
  readonly maxRetryCount: number;
  /** Delay before the first retry, in seconds. */
  readonly backoffSeconds?: number;
  /** Multiplier between retries. */
  readonly backoffFactor?: number;
  /** Upper bound of the delay, in seconds. */
  readonly backoffMaxSeconds?: number;
}

/** Per-task options. */
export interface TaskOptions {
  /** Extra dependencies beyond data flow. */
  readonly after?: readonly TaskHandle[];
  /** Retry policy. @default none */
  readonly retry?: RetryPolicy;
  /**
   * Reuse outputs of an earlier identical execution. @default false — a training run is meant to train,
   * and a cached pusher would skip pushing.
   */
  readonly cache?: boolean;
}

/** A task in a pipeline; its outputs are referenced by key. */
export interface TaskHandle<
  OP extends ParameterDecls = ParameterDecls,
  OA extends ArtifactDecls = ArtifactDecls,
> {
  readonly name: string;
  /** Reference to an output parameter, to pass to a downstream task. */
  outputParam<K extends keyof OP & string>(key: K): TaskOutputParamRef<OP[K]>;
  /** Reference to an output artifact, to pass to a downstream task. */
  outputArtifact<K extends keyof OA & string>(key: K): TaskOutputArtifactRef<OA[K]>;
}

/** One task as recorded by the builder. */
export interface TaskDef {
  readonly name: string;
  readonly component: Component;
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly after: readonly string[];
  readonly retry: RetryPolicy | undefined;
  readonly cache: boolean;
}

/** Builds the task graph inside `definePipeline`. */
export interface PipelineBuilder<P extends RuntimeParameterDecls> {
  /** Reference to a runtime parameter. */
  param<K extends keyof P & string>(name: K): PipelineParamRef<P[K]['type']>;
  /** Adds a task running `component` with `inputs`. */
  task<
    IP extends ParameterDecls,
    IA extends ArtifactDecls,
    OP extends ParameterDecls,
    OA extends ArtifactDecls,
  >(
    name: string,
    component: Component<IP, IA, OP, OA>,
    inputs: TaskInputs<IP, IA>,
    options?: TaskOptions,
  ): TaskHandle<OP, OA>;
}

/** A defined pipeline, ready for `compilePipeline`. */
export interface Pipeline {
  readonly name: string;
  readonly description: string | undefined;
  readonly parameters: RuntimeParameterDecls;
  readonly tasks: readonly TaskDef[];
}

/** What `definePipeline` takes. */
export interface PipelineOptions<P extends RuntimeParameterDecls> {
  /** kebab-case name (`pipelineInfo.name`). */
  readonly name: string;
  readonly description?: string;
  readonly parameters: P;
}

const NAME = /^[a-z]([a-z0-9-]*[a-z0-9])?$/;

/**
 * Defines a pipeline: `build` adds tasks through the builder.
 * @throws PipelineDefinitionError for bad or duplicate names and unknown parameter references.
 */
export function definePipeline<P extends RuntimeParameterDecls>(
  options: PipelineOptions<P>,
  build: (b: PipelineBuilder<P>) => void,
): Pipeline {
  if (!NAME.test(options.name)) {
    throw new PipelineDefinitionError(`pipeline name '${options.name}' must be kebab-case ([a-z0-9-])`);
  }
  checkDeclaredRules(
    options.name,
    declaredParameters({
      name: options.name,
      description: undefined,
      parameters: options.parameters,
      tasks: [],
    }),
  );
  const tasks: TaskDef[] = [];
  const builder: PipelineBuilder<P> = {
    param(name) {
      const decl = options.parameters[name];
      if (decl === undefined) {
        throw new PipelineDefinitionError(`pipeline '${options.name}' has no runtime parameter '${name}'`);
      }
      return { ref: 'pipelineParam', name, type: decl.type };
    },
    task(name, component, inputs, taskOptions) {
      if (!NAME.test(name)) {
        throw new PipelineDefinitionError(`task name '${name}' must be kebab-case ([a-z0-9-])`);
      }
      if (tasks.some((t) => t.name === name)) {
        throw new PipelineDefinitionError(`pipeline '${options.name}' has two tasks named '${name}'`);
      }
      tasks.push({
        name,
        component: component as unknown as Component,
        inputs: inputs as Readonly<Record<string, unknown>>,
        after: (taskOptions?.after ?? []).map((t) => t.name),
        retry: taskOptions?.retry,
        cache: taskOptions?.cache ?? false,
      });
      return {
        name,
        outputParam: (key) => ({
          ref: 'taskOutputParam',
          task: name,
          key,
          type: component.outputParameters[key],
        }),
        outputArtifact: (key) => ({
          ref: 'taskOutputArtifact',
          task: name,
          key,
          type: component.outputArtifacts[key],
        }),
      } as TaskHandle<(typeof component)['outputParameters'], (typeof component)['outputArtifacts']>;
    },
  };
  build(builder);
  return { name: options.name, description: options.description, parameters: options.parameters, tasks };
}

/**
 * The runtime parameters of a pipeline in the shape `readPipelineSpec` reports (sorted by name), so a
 * registered pipeline's parameters can be typed without compiling it.
 */
export function declaredParameters(pipeline: Pipeline): RuntimeParameter[] {
  return Object.keys(pipeline.parameters)
    .sort()
    .map((name) => {
      const decl = pipeline.parameters[name] as RuntimeParameterDecl;
      return {
        name,
        type: decl.type,
        ...(decl.default === undefined ? {} : { default: decl.default }),
        optional: decl.default !== undefined,
        ...(decl.description === undefined ? {} : { description: decl.description }),
        ...rulesOf(decl),
      };
    });
}
