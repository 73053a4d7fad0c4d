// The builder behind definePipeline: records tasks and control-flow groups in definition order. A
// group's body runs at once, with the group as the current scope, so tasks added in it (through the
// builder it is given, or the outer one: they are the same) land in that group.
import type { Component } from './component.ts';
import type { Condition, ConditionTerm } from './conditions.ts';
import { PipelineDefinitionError } from './errors.ts';
import type {
  BranchesGroup,
  ConditionGroup,
  ExitHandlerGroup,
  GroupDef,
  LoopGroup,
  LoopItems,
} from './groups.ts';
import { NAME } from './names.ts';
import type {
  Body,
  ConditionChain,
  GroupOptions,
  LoopOptions,
  PipelineBuilder,
  PipelineOptions,
  RuntimeParameterDecls,
  TaskDef,
  TaskHandle,
} from './pipeline.ts';
import type { LoopItemRef } from './refs.ts';
import type { PrimitiveType } from './types.ts';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The recorded pipeline so far and the current scope. */
export class Recorder {
  readonly tasks: TaskDef[] = [];
  readonly groups: GroupDef[] = [];
  private readonly pipeline: string;
  private current: number | undefined = undefined;
  private seq = 0;
  private closed = false;
  /** The last child added to each scope (`root` for the top level), for elif/else placement. */
  private readonly lastChild = new Map<number | 'root', number>();

  constructor(pipeline: string) {
    this.pipeline = pipeline;
  }

  /** The current scope (group id), checking the pipeline is still being defined. */
  scope(): number | undefined {
    if (this.closed) {
      throw new PipelineDefinitionError(
        `pipeline '${this.pipeline}' is already defined: use its builder only inside definePipeline`,
      );
    }
    return this.current;
  }

  /** Records a child of `scope` (the current one by default); returns its seq. */
  add(scope: number | undefined = this.scope()): number {
    const seq = ++this.seq;
    this.lastChild.set(scope ?? 'root', seq);
    return seq;
  }

  /** True when the child with `seq` is the last one added to `scope`. */
  isLast(scope: number | undefined, seq: number): boolean {
    return this.lastChild.get(scope ?? 'root') === seq;
  }

  /** Adds a group (all fields but id, parent and seq) to `parent`, the current scope by default. */
  group<G extends GroupDef>(
    fields: Omit<G, 'id' | 'parent' | 'seq'>,
    parent: number | undefined = this.scope(),
  ): G {
    const group = { ...fields, id: this.groups.length + 1, parent, seq: this.add(parent) } as G;
    this.groups.push(group);
    return group;
  }

  /** Runs `body` with `scope` as the current scope and returns its result; bodies must be synchronous. */
  run<R>(scope: number | undefined, body: () => R): R {
    const saved = this.current;
    this.current = scope;
    try {
      const result = body();
      if (typeof (result as { then?: unknown } | undefined)?.then === 'function') {
        throw new PipelineDefinitionError(
          `pipeline '${this.pipeline}': a pipeline or group body must be synchronous (it returned a promise)`,
        );
      }
      return result;
    } finally {
      this.current = saved;
    }
  }

  /** Ends the definition: later builder calls throw. */
  close(): void {
    this.closed = true;
  }

  /** Wraps condition `first` in a branches group in its place (kfp's `condition-branches-N`). */
  wrapInBranches(first: ConditionGroup): BranchesGroup {
    const wrapper: BranchesGroup = {
      kind: 'branches',
      id: this.groups.length + 1,
      parent: first.parent,
      seq: first.seq,
      displayName: undefined,
    };
    this.groups.push(wrapper);
    (first as Mutable<ConditionGroup>).parent = wrapper.id;
    return wrapper;
  }
}

function displayName(options: GroupOptions | undefined, what: string): string | undefined {
  const name = options?.name;
  if (name !== undefined && !NAME.test(name)) {
    throw new PipelineDefinitionError(`${what} name '${name}' must be kebab-case ([a-z0-9-])`);
  }
  return name;
}

/** The item type of a loop: the declared one, else inferred from literal items (STRING for a LIST ref). */
function itemTypeOf(items: LoopItems, declared: PrimitiveType | undefined): PrimitiveType {
  if (declared !== undefined) return declared;
  if (items.kind === 'ref') return 'STRING';
  const first = items.values[0];
  return typeof first === 'boolean' ? 'BOOLEAN' : typeof first === 'number' ? 'NUMBER_INTEGER' : 'STRING';
}

/** The builder of a pipeline being defined. */
export function makeBuilder<P extends RuntimeParameterDecls>(
  options: PipelineOptions<P>,
  recorder: Recorder,
): PipelineBuilder<P> {
  const builder: PipelineBuilder<P> = {
    param(name) {
      recorder.scope();
      const decl = options.parameters[name];
      if (decl === undefined) {
        throw new PipelineDefinitionError(`pipeline '${options.name}' has no runtime parameter '${name}'`);
      }
      return { ref: 'pipelineParam', name, type: decl.type };
    },
    task(name, component, inputs, taskOptions) {
      const parent = recorder.scope();
      if (!NAME.test(name)) {
        throw new PipelineDefinitionError(`task name '${name}' must be kebab-case ([a-z0-9-])`);
      }
      if (recorder.tasks.some((t) => t.name === name)) {
        throw new PipelineDefinitionError(`pipeline '${options.name}' has two tasks named '${name}'`);
      }
      recorder.tasks.push({
        name,
        component: component as unknown as Component,
        inputs: inputs as Readonly<Record<string, unknown>>,
        after: (taskOptions?.after ?? []).map((t) => t.name),
        retry: taskOptions?.retry,
        cache: taskOptions?.cache ?? false,
        parent,
        seq: recorder.add(),
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
    condition(test, body, groupOptions) {
      const group = recorder.group<ConditionGroup>({
        kind: 'condition',
        terms: [{ condition: test, negate: false }],
        displayName: displayName(groupOptions, 'condition'),
      });
      recorder.run(group.id, () => body(builder));
      return chain(group, test);
    },
    parallelFor(
      items: unknown,
      body: (item: LoopItemRef<PrimitiveType>, p: PipelineBuilder<P>) => unknown,
      loopOptions?: LoopOptions<PrimitiveType>,
    ) {
      const loopItems: LoopItems = Array.isArray(items)
        ? { kind: 'raw', values: items }
        : { kind: 'ref', ref: items as never };
      const group = recorder.group<LoopGroup>({
        kind: 'loop',
        items: loopItems,
        itemType: itemTypeOf(loopItems, loopOptions?.itemType),
        parallelism: loopOptions?.parallelism,
        displayName: displayName(loopOptions, 'loop'),
      });
      const item: LoopItemRef<PrimitiveType> = { ref: 'loopItem', loop: group.id, type: group.itemType };
      return recorder.run(group.id, () => body(item, builder));
    },
    exitHandler(exitTask, body, groupOptions) {
      const scope = recorder.scope();
      const what = `exit handler of task '${exitTask.name}'`;
      if (scope !== undefined) {
        throw new PipelineDefinitionError(`${what} must be at the pipeline's top level, not inside a group`);
      }
      const task = recorder.tasks.find((t) => t.name === exitTask.name);
      if (task?.parent !== undefined || task === undefined) {
        throw new PipelineDefinitionError(`${what}: the exit task must be a top-level task of this pipeline`);
      }
      if (recorder.groups.some((g) => g.kind === 'exitHandler' && g.exitTask === task.name)) {
        throw new PipelineDefinitionError(`${what}: task '${task.name}' is already an exit task`);
      }
      const group = recorder.group<ExitHandlerGroup>({
        kind: 'exitHandler',
        exitTask: task.name,
        displayName: displayName(groupOptions, 'exit handler'),
      });
      recorder.run(group.id, () => body(builder));
    },
  } as PipelineBuilder<P>;

  /** The elif/else chain of condition `first`: every branch negates the tests before it. */
  function chain(first: ConditionGroup, firstTest: Condition): ConditionChain<P> {
    const tests: Condition[] = [firstTest];
    let ended = false;
    let wrapper: BranchesGroup | undefined;
    const branch = (test: Condition | undefined, body: Body<P>, groupOptions: GroupOptions | undefined) => {
      const scope = recorder.scope();
      const kind = test === undefined ? 'else' : 'elif';
      if (ended)
        throw new PipelineDefinitionError(`${kind} after else: a condition chain ends with its else`);
      const anchor = wrapper ?? first;
      if (scope !== anchor.parent || !recorder.isLast(scope, anchor.seq)) {
        throw new PipelineDefinitionError(
          `${kind} must directly follow its condition in the same scope (nothing added in between)`,
        );
      }
      wrapper ??= recorder.wrapInBranches(first);
      const terms: ConditionTerm[] = tests.map((condition) => ({ condition, negate: true }));
      if (test !== undefined) {
        terms.push({ condition: test, negate: false });
        tests.push(test);
      } else {
        ended = true;
      }
      const group = recorder.group<ConditionGroup>(
        { kind: 'condition', terms, displayName: displayName(groupOptions, kind) },
        wrapper.id,
      );
      recorder.run(group.id, () => body(builder));
    };
    const self: ConditionChain<P> = {
      elif(test, body, groupOptions) {
        branch(test, body, groupOptions);
        return self;
      },
      else(body, groupOptions) {
        branch(undefined, body, groupOptions);
      },
    };
    return self;
  }
  return builder;
}
