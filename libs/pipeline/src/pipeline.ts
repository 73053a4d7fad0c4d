// Pipelines: runtime parameters plus tasks wired by data flow, optionally inside control-flow groups
// (conditions, loops, exit handlers). Passing a task's output to another task's input makes the
// consumer depend on the producer.
import { compactJson } from './canonical-json.ts';
import type { Component } from './component.ts';
import type { Condition } from './conditions.ts';
import { makeBuilder, Recorder } from './builder.ts';
import { PipelineDefinitionError } from './errors.ts';
import type { GroupDef } from './groups.ts';
import { NAME } from './names.ts';
import type { RuntimeParameter } from './read-spec.ts';
import { checkDeclaredRules } from './declared-rules.ts';
import { rulesOf, type ParameterRules } from './rules.ts';
import type {
  ListRef,
  LoopItemRef,
  ParamSource,
  PipelineParamRef,
  TaskOutputArtifactRef,
  TaskOutputParamRef,
} from './refs.ts';
import type {
  ArtifactDecls,
  NumberType,
  ParameterDecls,
  ParameterType,
  PrimitiveType,
  ValueOf,
} from './types.ts';

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
  /** Extra dependencies beyond data flow (a task inside a loop: the whole loop). */
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
  /** Reference to an output parameter, to pass to a downstream task or compare in a condition. */
  outputParam<K extends keyof OP & string>(key: K): TaskOutputParamRef<Extract<OP[K], ParameterType>>;
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
  /** The enclosing control-flow group (`GroupDef.id`), or undefined at the top level. */
  readonly parent: number | undefined;
  /** Position among all tasks and groups in definition order. */
  readonly seq: number;
}

/** Options of a control-flow group. */
export interface GroupOptions {
  /** `taskInfo.name` of the group's task (kebab-case), shown in task details; the group key by default. */
  readonly name?: string;
}

/** Options of `parallelFor`. */
export interface LoopOptions<T extends PrimitiveType> extends GroupOptions {
  /** Run at most this many iterations at once (`iteratorPolicy.parallelismLimit`). @default unlimited */
  readonly parallelism?: number;
  /**
   * The type of each item. @default STRING for a LIST reference (as kfp types items of an untyped list),
   * inferred for a literal list (numbers: NUMBER_INTEGER; pass NUMBER_DOUBLE for fractions).
   */
  readonly itemType?: T;
}

/** The body of a control-flow group: adds tasks (and groups) through the builder it is given. */
export type Body<P extends RuntimeParameterDecls> = (p: PipelineBuilder<P>) => void;

/** Returned by `condition`: add `elif` branches and a final `else`, right after the condition. */
export interface ConditionChain<P extends RuntimeParameterDecls> {
  /** Runs `body` when the earlier branches did not run and `test` holds (kfp `dsl.Elif`). */
  elif(test: Condition, body: Body<P>, options?: GroupOptions): ConditionChain<P>;
  /** Runs `body` when no earlier branch ran (kfp `dsl.Else`). */
  else(body: Body<P>, options?: GroupOptions): void;
}

/** Builds the task graph inside `definePipeline`; in a group's body, adds to that group. */
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
  /** Runs `body`'s tasks only when `test` holds (kfp `dsl.If`); others see them SKIPPED. */
  condition(test: Condition, body: Body<P>, options?: GroupOptions): ConditionChain<P>;
  /**
   * Runs `body` once per item (kfp `dsl.ParallelFor`); `item` is the current item. Returns what `body`
   * returns (e.g. a task handle, for `collected(task.outputParam(…))` after the loop).
   */
  parallelFor<R>(
    items: readonly string[],
    body: (item: LoopItemRef<'STRING'>, p: PipelineBuilder<P>) => R,
    options?: LoopOptions<'STRING'>,
  ): R;
  parallelFor<R>(
    items: readonly boolean[],
    body: (item: LoopItemRef<'BOOLEAN'>, p: PipelineBuilder<P>) => R,
    options?: LoopOptions<'BOOLEAN'>,
  ): R;
  parallelFor<R, T extends NumberType = 'NUMBER_INTEGER'>(
    items: readonly number[],
    body: (item: LoopItemRef<T>, p: PipelineBuilder<P>) => R,
    options?: LoopOptions<T>,
  ): R;
  parallelFor<R, T extends PrimitiveType = 'STRING'>(
    items: ListRef,
    body: (item: LoopItemRef<T>, p: PipelineBuilder<P>) => R,
    options?: LoopOptions<T>,
  ): R;
  /**
   * Runs `exitTask` after `body`'s tasks end, whatever their outcome (kfp `dsl.ExitHandler`). The exit
   * task is a top-level task defined before, depending on no other task; a `taskFinalStatus()` input
   * gives it the body's final status. Exit handlers sit at the top level.
   */
  exitHandler(exitTask: TaskHandle, body: Body<P>, options?: GroupOptions): void;
}

/** A defined pipeline, ready for `compilePipeline`. */
export interface Pipeline {
  readonly name: string;
  readonly description: string | undefined;
  readonly parameters: RuntimeParameterDecls;
  /** Every task, in definition order (inside groups too). */
  readonly tasks: readonly TaskDef[];
  /** Every control-flow group, in definition order. */
  readonly groups: readonly GroupDef[];
}

/** What `definePipeline` takes. */
export interface PipelineOptions<P extends RuntimeParameterDecls> {
  /** kebab-case name (`pipelineInfo.name`). */
  readonly name: string;
  readonly description?: string;
  readonly parameters: P;
}

/**
 * Defines a pipeline: `build` adds tasks through the builder.
 * @throws PipelineDefinitionError for bad or duplicate names, unknown parameter references and misplaced
 * control flow (an elif not right after its condition, an exit handler inside a group, async bodies).
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
      groups: [],
    }),
  );
  const recorder = new Recorder(options.name);
  const builder = makeBuilder(options, recorder);
  recorder.run(undefined, () => build(builder));
  recorder.close();
  return {
    name: options.name,
    description: options.description,
    parameters: options.parameters,
    tasks: recorder.tasks,
    groups: recorder.groups,
  };
}

/**
 * The runtime parameters of a pipeline in the shape `readPipelineSpec` reports (sorted by name), so a
 * registered pipeline's parameters can be typed without compiling it. LIST and STRUCT defaults are given
 * as their compact JSON text, as `typeParameters` types such values.
 */
export function declaredParameters(pipeline: Pipeline): RuntimeParameter[] {
  return Object.keys(pipeline.parameters)
    .sort()
    .map((name) => {
      const decl = pipeline.parameters[name] as RuntimeParameterDecl;
      const dflt = typeof decl.default === 'object' ? compactJson(decl.default) : decl.default;
      return {
        name,
        type: decl.type,
        ...(dflt === undefined ? {} : { default: dflt }),
        optional: dflt !== undefined,
        ...(decl.description === undefined ? {} : { description: decl.description }),
        // Enum values are typed like the default: LIST/STRUCT members as compact JSON text.
        ...rulesOf({
          ...decl,
          enum: decl.enum?.map((v) => (typeof v === 'object' ? compactJson(v) : v)),
        }),
      };
    });
}
