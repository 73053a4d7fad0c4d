// References: what a task input (or a condition, or a loop) can point at besides a constant. The
// compiler turns each into the spec's input forms (componentInputParameter, taskOutputParameter, …),
// threading it through every control-flow group between where it is made and where it is used.
import type { ArtifactType, ComponentParameterType, ParameterType, PrimitiveType, ValueOf } from './types.ts';

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

/** The current item of a `parallelFor` loop, usable by the tasks inside the loop. */
export interface LoopItemRef<T extends ParameterType = PrimitiveType> {
  readonly ref: 'loopItem';
  /** The loop's id within its pipeline (definition order). */
  readonly loop: number;
  readonly type: T;
}

/** Every iteration's value of an output parameter produced inside a loop, gathered into a `LIST`. */
export interface CollectedRef {
  readonly ref: 'collected';
  readonly task: string;
  readonly key: string;
  readonly type: 'LIST';
}

/** The final state of an exit handler's tasks (`PipelineTaskFinalStatus`), for its exit task. */
export interface TaskFinalStatusRef {
  readonly ref: 'taskFinalStatus';
  readonly type: 'TASK_FINAL_STATUS';
}

/** A runtime value of type `T`: a pipeline parameter, an upstream output parameter or a loop item. */
export type ValueRef<T extends ParameterType = ParameterType> =
  PipelineParamRef<T> | TaskOutputParamRef<T> | LoopItemRef<T>;

/** A `LIST` to loop over: a runtime parameter or an upstream output parameter. */
export type ListRef = PipelineParamRef<'LIST'> | TaskOutputParamRef<'LIST'>;

/** What can feed an input parameter of type T. */
export type ParamSource<T extends ComponentParameterType> = T extends 'TASK_FINAL_STATUS'
  ? TaskFinalStatusRef
  : T extends ParameterType
    ? ValueOf<T> | ValueRef<T> | (T extends 'LIST' ? CollectedRef : never)
    : never;

/** Any reference. */
export type AnyRef = ValueRef | TaskOutputArtifactRef | CollectedRef | TaskFinalStatusRef;

/**
 * Gathers `output` (an output parameter of a task inside a `parallelFor`) from every iteration into one
 * `LIST`, for a task after the loop (kfp's `dsl.Collected`). The producer must sit directly in the loop.
 */
export function collected(output: TaskOutputParamRef): CollectedRef {
  return { ref: 'collected', task: output.task, key: output.key, type: 'LIST' };
}

/**
 * The final status of an exit handler's tasks, for a `TASK_FINAL_STATUS` input of its exit task
 * (kfp's `dsl.PipelineTaskFinalStatus`): `{state, error, pipelineJobResourceName, pipelineTaskName}`.
 */
export function taskFinalStatus(): TaskFinalStatusRef {
  return { ref: 'taskFinalStatus', type: 'TASK_FINAL_STATUS' };
}

/** A reference object of the given kind. */
export function isRef<K extends AnyRef['ref']>(
  value: unknown,
  kind: K,
): value is Extract<AnyRef, { ref: K }> {
  return typeof value === 'object' && value !== null && (value as { ref?: unknown }).ref === kind;
}

/** True for any reference (as opposed to a constant). */
export function isAnyRef(value: unknown): value is AnyRef {
  const kinds: readonly unknown[] = [
    'pipelineParam',
    'taskOutputParam',
    'taskOutputArtifact',
    'loopItem',
    'collected',
    'taskFinalStatus',
  ];
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    kinds.includes((value as { ref?: unknown }).ref)
  );
}
