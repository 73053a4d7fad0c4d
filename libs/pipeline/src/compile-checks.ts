// Checks the compiler runs before writing anything; each returns problems as sentences.
import { isJson } from './canonical-json.ts';
import type { Component } from './component.ts';
import type { GroupDef } from './groups.ts';
import type { Pipeline, TaskDef } from './pipeline.ts';
import { findPlaceholderRefs, renderPlaceholder, type Arg, type PlaceholderRef } from './placeholders.ts';
import { isRef } from './refs.ts';
import type { ComponentParameterType, ParameterType } from './types.ts';

/** True when `value` is a literal of parameter type `type` (no string coercion: that is typeParameters' job). */
export function isLiteralOfType(type: ComponentParameterType, value: unknown): boolean {
  switch (type) {
    case 'NUMBER_INTEGER':
      return typeof value === 'number' && Number.isSafeInteger(value);
    case 'NUMBER_DOUBLE':
      return typeof value === 'number' && Number.isFinite(value);
    case 'STRING':
      return typeof value === 'string';
    case 'BOOLEAN':
      return typeof value === 'boolean';
    case 'LIST':
      return Array.isArray(value) && isJson(value);
    case 'STRUCT':
      return typeof value === 'object' && value !== null && !Array.isArray(value) && isJson(value);
    case 'TASK_FINAL_STATUS':
      return false;
  }
}

/** Renders command/args, reporting placeholders that name undeclared inputs or outputs. */
export function renderArgs(component: Component, args: readonly Arg[], problems: string[]): string[] {
  return args.map((arg) => {
    const text = typeof arg === 'string' ? arg : renderPlaceholder(arg);
    for (const ref of findPlaceholderRefs(text)) {
      if (!declares(component, ref)) {
        const kind = ref.section.endsWith('parameters') ? 'parameter' : 'artifact';
        const side = ref.section.startsWith('inputs') ? 'input' : 'output';
        problems.push(
          `component '${component.name}': placeholder ${text} references ${side} ${kind} '${ref.name}', which the component does not declare`,
        );
      }
    }
    return text;
  });
}

function declares(c: Component, ref: PlaceholderRef): boolean {
  const table = {
    'inputs.parameters': c.inputParameters,
    'inputs.artifacts': c.inputArtifacts,
    'outputs.parameters': c.outputParameters,
    'outputs.artifacts': c.outputArtifacts,
  }[ref.section];
  return Object.hasOwn(table, ref.name);
}

/** Checks runtime parameter defaults against their types. */
export function checkRuntimeParameters(pipeline: Pipeline, problems: string[]): void {
  for (const [name, decl] of Object.entries(pipeline.parameters)) {
    if (decl.default !== undefined && !isLiteralOfType(decl.type, decl.default)) {
      problems.push(
        `runtime parameter '${name}' (${decl.type}) has default ${JSON.stringify(decl.default)} of another type`,
      );
    }
  }
}

/** How the checks name groups (`for-loop-2`) and find them. */
export interface GroupNames {
  group(id: number): GroupDef | undefined;
  describe(group: GroupDef): string;
}

/** The type a parameter reference gives, or a sentence saying why it gives none. */
function sourceType(
  pipeline: Pipeline,
  source: unknown,
  groups: GroupNames,
): { type: ParameterType; what: string } | { problem: string } | undefined {
  if (isRef(source, 'pipelineParam')) {
    const decl = pipeline.parameters[source.name];
    const what = `runtime parameter '${source.name}'`;
    return decl === undefined ? { problem: `uses unknown ${what}` } : { type: decl.type, what };
  }
  if (isRef(source, 'taskOutputParam') || isRef(source, 'collected')) {
    const producer = pipeline.tasks.find((t) => t.name === source.task);
    const produced = producer?.component.outputParameters[source.key];
    if (produced === undefined || produced === 'TASK_FINAL_STATUS') {
      return { problem: `uses output parameter '${source.key}' that task '${source.task}' does not have` };
    }
    if (source.ref === 'collected') return { type: 'LIST', what: `collected(${source.task}.${source.key})` };
    return { type: produced, what: `output '${source.task}.${source.key}'` };
  }
  if (isRef(source, 'loopItem')) {
    const loop = groups.group(source.loop);
    if (loop?.kind !== 'loop') return { problem: 'uses the item of a loop of another pipeline' };
    return { type: loop.itemType, what: `the item of ${groups.describe(loop)}` };
  }
  return undefined;
}

/** Checks one task's inputs against its component and upstream tasks. */
export function checkTaskInputs(
  pipeline: Pipeline,
  task: TaskDef,
  problems: string[],
  groups: GroupNames,
): void {
  const c = task.component;
  const where = `task '${task.name}'`;
  for (const key of Object.keys(task.inputs)) {
    if (!Object.hasOwn(c.inputParameters, key) && !Object.hasOwn(c.inputArtifacts, key)) {
      problems.push(`${where}: component '${c.name}' has no input '${key}'`);
    }
  }
  for (const [key, type] of Object.entries(c.inputParameters)) {
    const source = task.inputs[key];
    const found = sourceType(pipeline, source, groups);
    if (source === undefined) {
      const hint = type === 'TASK_FINAL_STATUS' ? ': pass taskFinalStatus()' : '';
      problems.push(`${where}: input parameter '${key}' is not set${hint}`);
    } else if (type === 'TASK_FINAL_STATUS' || isRef(source, 'taskFinalStatus')) {
      if (type !== 'TASK_FINAL_STATUS' || !isRef(source, 'taskFinalStatus')) {
        problems.push(
          `${where}: input '${key}' is ${type}; only a TASK_FINAL_STATUS input takes taskFinalStatus()`,
        );
      }
    } else if (found !== undefined && 'problem' in found) {
      problems.push(`${where}: input '${key}' ${found.problem}`);
    } else if (found !== undefined) {
      if (found.type !== type)
        problems.push(`${where}: input '${key}' is ${type} but ${found.what} is ${found.type}`);
    } else if (isRef(source, 'taskOutputArtifact')) {
      problems.push(`${where}: input parameter '${key}' is given an artifact`);
    } else if (!isLiteralOfType(type, source)) {
      problems.push(`${where}: input '${key}' is ${type} but the constant ${JSON.stringify(source)} is not`);
    }
  }
  for (const [key, type] of Object.entries(c.inputArtifacts)) {
    const source = task.inputs[key];
    if (source === undefined) {
      problems.push(`${where}: input artifact '${key}' is not set`);
    } else if (!isRef(source, 'taskOutputArtifact')) {
      problems.push(`${where}: input artifact '${key}' must come from an upstream task's output artifact`);
    } else {
      const producer = pipeline.tasks.find((t) => t.name === source.task);
      const produced = producer?.component.outputArtifacts[source.key];
      if (produced === undefined) {
        problems.push(
          `${where}: input '${key}' uses output artifact '${source.key}' that task '${source.task}' does not have`,
        );
      } else if (produced !== type) {
        problems.push(
          `${where}: input '${key}' is ${type} but output '${source.task}.${source.key}' is ${produced}`,
        );
      }
    }
  }
}
