// Checks of conditions, loops and exit handlers, reported as sentences naming the group and the
// parameter or task at fault (TypeScript catches most of these; JavaScript callers and casts do not).
import type { DagLayout } from './compile-dag.ts';
import type { Condition, Operand } from './conditions.ts';
import type { ConditionGroup, ExitHandlerGroup, GroupDef, LoopGroup } from './groups.ts';
import type { Pipeline } from './pipeline.ts';
import { isAnyRef, isRef } from './refs.ts';
import type { PrimitiveType } from './types.ts';

const PRIMITIVES: readonly unknown[] = ['NUMBER_INTEGER', 'NUMBER_DOUBLE', 'STRING', 'BOOLEAN'];
const NUMBERS: readonly unknown[] = ['NUMBER_INTEGER', 'NUMBER_DOUBLE'];

/** Checks every group, group names and exit tasks. */
export function checkControlFlow(pipeline: Pipeline, layout: DagLayout, problems: string[]): void {
  checkNames(pipeline, layout, problems);
  for (const group of pipeline.groups) {
    if (layout.children(group.id).length === 0) problems.push(`${layout.describe(group)} has no tasks`);
    if (group.kind === 'condition') {
      const own = group.terms.at(-1);
      if (own !== undefined && !own.negate) checkCondition(own.condition, group, pipeline, layout, problems);
    } else if (group.kind === 'loop') {
      checkLoop(group, pipeline, layout, problems);
    } else if (group.kind === 'exitHandler') {
      checkExitTask(group, pipeline, layout, problems);
    }
  }
  const exitTasks = new Set(pipeline.groups.flatMap((g) => (g.kind === 'exitHandler' ? [g.exitTask] : [])));
  for (const task of pipeline.tasks) {
    for (const [key, value] of Object.entries(task.inputs)) {
      const type = task.component.inputParameters[key];
      if (isRef(value, 'taskFinalStatus') && type === 'TASK_FINAL_STATUS' && !exitTasks.has(task.name)) {
        problems.push(
          `task '${task.name}': input '${key}' takes taskFinalStatus(), which only an exit task gets: pass '${task.name}' to exitHandler`,
        );
      }
    }
  }
}

function checkNames(pipeline: Pipeline, layout: DagLayout, problems: string[]): void {
  const taskNames = new Set(pipeline.tasks.map((t) => t.name));
  const componentNames = new Set(pipeline.tasks.map((t) => t.component.name));
  const shown = new Map<string, GroupDef>();
  for (const group of pipeline.groups) {
    const key = layout.channels.key(group);
    if (taskNames.has(key))
      problems.push(`task '${key}' has the name of a control-flow group: rename the task`);
    if (componentNames.has(key)) {
      problems.push(
        `component '${key}' has the name of a control-flow group's DAG component: rename the component`,
      );
    }
    const name = group.displayName;
    if (name === undefined || name === key) continue;
    const other = shown.get(name);
    if (
      taskNames.has(name) ||
      other !== undefined ||
      pipeline.groups.some((g) => layout.channels.key(g) === name)
    ) {
      problems.push(`${layout.describe(group)}: the name '${name}' is already taken by a task or group`);
    }
    shown.set(name, group);
  }
}

/** What an operand is, for messages, and its type (or a problem). */
function operand(
  value: Operand,
  pipeline: Pipeline,
  layout: DagLayout,
): { what: string; type: PrimitiveType } | { problem: string } {
  if (!isAnyRef(value)) {
    if (typeof value === 'string' || typeof value === 'boolean') {
      return { what: JSON.stringify(value), type: typeof value === 'string' ? 'STRING' : 'BOOLEAN' };
    }
    if (typeof value === 'number' && Number.isFinite(value)) {
      return { what: String(value), type: Number.isInteger(value) ? 'NUMBER_INTEGER' : 'NUMBER_DOUBLE' };
    }
    return {
      problem: `compares ${JSON.stringify(value) ?? String(value)}: constants must be strings, numbers or booleans`,
    };
  }
  let what: string;
  if (isRef(value, 'pipelineParam')) {
    what = `runtime parameter '${value.name}'`;
    if (pipeline.parameters[value.name] === undefined) return { problem: `compares unknown ${what}` };
  } else if (isRef(value, 'taskOutputParam')) {
    what = `output '${value.task}.${value.key}'`;
    const task = pipeline.tasks.find((t) => t.name === value.task);
    if (task === undefined) return { problem: `compares ${what} of a task the pipeline does not have` };
    if (task.component.outputParameters[value.key] === undefined) {
      return { problem: `compares output parameter '${value.key}' that task '${value.task}' does not have` };
    }
  } else if (isRef(value, 'loopItem')) {
    const loop = layout.group(value.loop);
    if (loop?.kind !== 'loop') return { problem: 'compares the item of a loop of another pipeline' };
    what = `the item of ${layout.describe(loop)}`;
  } else {
    const kind = (value as { ref: string }).ref;
    return {
      problem: `compares ${kind === 'taskOutputArtifact' ? 'an artifact' : kind}: conditions compare parameters`,
    };
  }
  const source = layout.resolve(value);
  const type = source === undefined ? undefined : layout.channels.type(source);
  const parameter = type !== undefined && 'parameter' in type ? type.parameter : undefined;
  if (!PRIMITIVES.includes(parameter)) {
    return { problem: `compares ${what}, a ${parameter}: conditions compare strings, numbers and booleans` };
  }
  return { what, type: parameter as PrimitiveType };
}

function checkCondition(
  condition: Condition,
  group: ConditionGroup,
  pipeline: Pipeline,
  layout: DagLayout,
  problems: string[],
): void {
  const where = layout.describe(group);
  const sides = [condition.left, condition.right].map((o) => operand(o, pipeline, layout));
  const [left, right] = sides;
  for (const side of sides) if ('problem' in side) problems.push(`${where}: ${side.problem}`);
  if (left === undefined || right === undefined || 'problem' in left || 'problem' in right) return;
  if (!isAnyRef(condition.left) && !isAnyRef(condition.right)) {
    problems.push(`${where}: compares two constants (${left.what} ${condition.op} ${right.what})`);
  } else if (left.type !== right.type && !(NUMBERS.includes(left.type) && NUMBERS.includes(right.type))) {
    problems.push(`${where}: compares ${left.what} (${left.type}) with ${right.what} (${right.type})`);
  } else if (!['==', '!='].includes(condition.op) && !NUMBERS.includes(left.type)) {
    problems.push(`${where}: '${condition.op}' compares numbers, but ${left.what} is ${left.type}`);
  }
}

function checkLoop(loop: LoopGroup, pipeline: Pipeline, layout: DagLayout, problems: string[]): void {
  const where = layout.describe(loop);
  const { parallelism, itemType, items } = loop;
  if (parallelism !== undefined && !(Number.isSafeInteger(parallelism) && parallelism >= 1)) {
    problems.push(`${where}: parallelism must be a positive integer, got ${String(parallelism)}`);
  }
  if (!PRIMITIVES.includes(itemType)) {
    problems.push(
      `${where}: itemType '${String(itemType)}' is not STRING, NUMBER_INTEGER, NUMBER_DOUBLE or BOOLEAN`,
    );
    return;
  }
  if (items.kind === 'ref') {
    const ref: unknown = items.ref;
    const source = layout.resolve(ref);
    const type = source && layout.channels.type(source);
    if (isRef(ref, 'pipelineParam') || isRef(ref, 'taskOutputParam')) {
      const what = isRef(ref, 'pipelineParam')
        ? `runtime parameter '${ref.name}'`
        : `output '${ref.task}.${ref.key}'`;
      if (type === undefined) problems.push(`${where}: loops over ${what}, which the pipeline does not have`);
      else if (!('parameter' in type) || type.parameter !== 'LIST') {
        problems.push(
          `${where}: loops over ${what}, which is ${'parameter' in type ? type.parameter : type.artifact}, not LIST`,
        );
      }
    } else {
      const what = isAnyRef(ref) ? ref.ref : JSON.stringify(ref);
      problems.push(`${where}: loops over ${what}; loop over a list, or a LIST runtime parameter or output`);
    }
    return;
  }
  const values = items.values;
  const shown = JSON.stringify(values);
  const kinds = new Set(
    values.map((v) => (typeof v === 'number' && !Number.isFinite(v) ? 'other' : typeof v)),
  );
  if (values.length === 0) problems.push(`${where}: loops over an empty list`);
  else if ([...kinds].some((k) => !['string', 'number', 'boolean'].includes(k))) {
    problems.push(`${where}: loops over ${shown}; literal items must be strings, numbers or booleans`);
  } else if (kinds.size > 1)
    problems.push(`${where}: loops over ${shown}, which mixes ${[...kinds].join(' and ')}`);
  else {
    const expected = NUMBERS.includes(itemType) ? 'number' : itemType === 'BOOLEAN' ? 'boolean' : 'string';
    if (!kinds.has(expected)) problems.push(`${where}: itemType ${itemType} does not fit the items ${shown}`);
    else if (itemType === 'NUMBER_INTEGER' && !values.every((v) => Number.isSafeInteger(v))) {
      problems.push(
        `${where}: loops over ${shown}, which are not all integers: pass { itemType: 'NUMBER_DOUBLE' }`,
      );
    }
  }
}

function checkExitTask(
  group: ExitHandlerGroup,
  pipeline: Pipeline,
  layout: DagLayout,
  problems: string[],
): void {
  const task = pipeline.tasks.find((t) => t.name === group.exitTask);
  if (task === undefined) return;
  const where = `exit task '${task.name}' of ${layout.describe(group)}`;
  for (const [key, value] of Object.entries(task.inputs)) {
    if (isRef(value, 'taskOutputParam') || isRef(value, 'taskOutputArtifact') || isRef(value, 'collected')) {
      problems.push(
        `${where}: input '${key}' uses task '${value.task}'; an exit task depends on no other task`,
      );
    }
  }
  for (const upstream of task.after) {
    problems.push(`${where}: runs after task '${upstream}'; an exit task depends on no other task`);
  }
}
