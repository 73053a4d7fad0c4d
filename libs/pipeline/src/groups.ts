// Control-flow groups as the builder records them. Each becomes a DAG component in the spec
// (`comp-condition-N`, `comp-condition-branches-N`, `comp-for-loop-N`, `comp-exit-handler-N`) and a
// task running it in its parent's DAG.
import type { ConditionTerm } from './conditions.ts';
import type { ListRef } from './refs.ts';
import type { PrimitiveType } from './types.ts';

/** What every group records. */
interface GroupBase {
  /** Unique within the pipeline, in definition order. */
  readonly id: number;
  /** The enclosing group, or undefined at the pipeline's top level. */
  readonly parent: number | undefined;
  /** Position among all tasks and groups in definition order (orders a scope's children). */
  readonly seq: number;
  /** `taskInfo.name` of the group's task; the group key (`condition-2`, …) when absent. */
  readonly displayName: string | undefined;
}

/** `dsl.If` / `Elif` / `Else`: runs its body when every term holds. */
export interface ConditionGroup extends GroupBase {
  readonly kind: 'condition';
  /** For an elif or else, the negated conditions of the branches before it come first. */
  readonly terms: readonly ConditionTerm[];
}

/** The wrapper kfp puts around an if/elif/else chain (`condition-branches-N`). */
export interface BranchesGroup extends GroupBase {
  readonly kind: 'branches';
}

/** The items of a loop: a literal list, or a LIST reference. */
export type LoopItems =
  | { readonly kind: 'raw'; readonly values: readonly unknown[] }
  | { readonly kind: 'ref'; readonly ref: ListRef };

/** `dsl.ParallelFor`: runs its body once per item. */
export interface LoopGroup extends GroupBase {
  readonly kind: 'loop';
  readonly items: LoopItems;
  /** The item type: the declared `itemType`, else inferred (raw items) or STRING (a LIST reference). */
  readonly itemType: PrimitiveType;
  /** At most this many iterations at once (`iteratorPolicy.parallelismLimit`); unlimited when absent. */
  readonly parallelism: number | undefined;
}

/** `dsl.ExitHandler`: its exit task runs after the body, whatever the body's outcome. */
export interface ExitHandlerGroup extends GroupBase {
  readonly kind: 'exitHandler';
  /** Name of the exit task (a top-level task defined before the handler). */
  readonly exitTask: string;
}

/** A control-flow group. */
export type GroupDef = ConditionGroup | BranchesGroup | LoopGroup | ExitHandlerGroup;

/** The spec name stem of each kind: the group key is `<stem>-<number>`. */
export const GROUP_STEM: Readonly<Record<GroupDef['kind'], string>> = {
  condition: 'condition',
  branches: 'condition-branches',
  loop: 'for-loop',
  exitHandler: 'exit-handler',
};
