// The spec of a control-flow group: the task that runs it in its parent's DAG (trigger condition,
// iterator) and its DAG component (inputs threaded in, gathered outputs out).
import type { Source } from './channels.ts';
import { wiringJson, type DagLayout } from './compile-dag.ts';
import { renderCel, type Operand } from './conditions.ts';
import type { ConditionGroup, GroupDef, LoopGroup } from './groups.ts';
import type { ValueRef } from './refs.ts';
import type { DagComponentSpecJson, GroupTaskJson, PipelineTaskJson } from './spec-types.ts';
import { ARTIFACT_SCHEMA_VERSION, type PrimitiveType } from './types.ts';

/** The `triggerPolicy.condition` of a condition group (operands already checked). */
function cel(layout: DagLayout, group: ConditionGroup): string {
  const typeOf = (operand: Operand): PrimitiveType => {
    if (typeof operand === 'number') return Number.isInteger(operand) ? 'NUMBER_INTEGER' : 'NUMBER_DOUBLE';
    if (typeof operand !== 'object') return typeof operand === 'boolean' ? 'BOOLEAN' : 'STRING';
    const type = layout.typeOf(operand);
    return type !== undefined && 'parameter' in type ? (type.parameter as PrimitiveType) : 'STRING';
  };
  const channelOf = (ref: ValueRef) => {
    const s = layout.resolve(ref);
    return s === undefined ? '?' : layout.channels.name(s);
  };
  return renderCel(group.terms, typeOf, channelOf);
}

function iterator(
  layout: DagLayout,
  loop: LoopGroup,
): Pick<GroupTaskJson, 'parameterIterator' | 'iteratorPolicy'> {
  const itemInput = layout.channels.name({ kind: 'loopItem', loop });
  const items =
    loop.items.kind === 'raw'
      ? // Python's json.dumps spacing, as kfp writes it.
        { raw: `[${loop.items.values.map((v) => JSON.stringify(v)).join(', ')}]` }
      : { inputParameter: layout.channels.name(layout.resolve(loop.items.ref) as Source) };
  return {
    parameterIterator: { itemInput, items },
    ...(loop.parallelism ? { iteratorPolicy: { parallelismLimit: loop.parallelism } } : {}),
  };
}

/** The task that runs a group's DAG, in its parent's DAG. */
export function groupTask(layout: DagLayout, group: GroupDef): GroupTaskJson {
  const key = layout.channels.key(group);
  return {
    taskInfo: { name: group.displayName ?? key },
    componentRef: { name: `comp-${key}` },
    ...wiringJson(layout.io(group.id).wiring),
    ...(group.kind === 'condition' ? { triggerPolicy: { condition: cel(layout, group) } } : {}),
    ...(group.kind === 'loop' ? iterator(layout, group) : {}),
  };
}

/** A group's DAG component, around the tasks of its DAG. */
export function groupComponent(
  layout: DagLayout,
  group: GroupDef,
  tasks: Readonly<Record<string, PipelineTaskJson | GroupTaskJson>>,
): DagComponentSpecJson {
  const io = layout.io(group.id);
  const parameters = Object.fromEntries(
    [...io.inParams].map(([n, { type }]) => [n, { parameterType: type }]),
  );
  const artifacts = Object.fromEntries(
    [...io.inArtifacts].map(([n, { type }]) => [
      n,
      { artifactType: { schemaTitle: type, schemaVersion: ARTIFACT_SCHEMA_VERSION } },
    ]),
  );
  const outs = [...io.outParams];
  return {
    ...(io.inParams.size + io.inArtifacts.size > 0
      ? {
          inputDefinitions: {
            ...(io.inParams.size > 0 ? { parameters } : {}),
            ...(io.inArtifacts.size > 0 ? { artifacts } : {}),
          },
        }
      : {}),
    // A collected output is every iteration's value, gathered into a LIST by the backend.
    ...(outs.length > 0
      ? {
          outputDefinitions: {
            parameters: Object.fromEntries(outs.map(([n]) => [n, { parameterType: 'LIST' }])),
          },
        }
      : {}),
    dag: {
      tasks,
      ...(outs.length > 0
        ? {
            outputs: { parameters: Object.fromEntries(outs.map(([n, v]) => [n, { valueFromParameter: v }])) },
          }
        : {}),
    },
  };
}
