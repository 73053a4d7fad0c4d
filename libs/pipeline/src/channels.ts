// Channels: kfp's name for a value that crosses into a control-flow group. A value made outside a
// group and used inside it becomes an input of the group's DAG named `pipelinechannel--<source>`, as
// kfp 2.17 names them (`pipelinechannel--<param>`, `pipelinechannel--<task>-<output>`,
// `pipelinechannel--loop-item-param-<n>`, `pipelinechannel--<list>-loop-item`).
import type { GroupDef, LoopGroup } from './groups.ts';
import type { TaskDef } from './pipeline.ts';
import type { TaskInputArtifactJson, TaskInputParameterJson } from './spec-types.ts';
import type { ArtifactType, ComponentParameterType } from './types.ts';

/** Where a value comes from, resolved against the pipeline. */
export type Source =
  | { readonly kind: 'param'; readonly name: string; readonly type: ComponentParameterType }
  | {
      readonly kind: 'taskParam';
      readonly task: TaskDef;
      readonly key: string;
      readonly type: ComponentParameterType;
    }
  | {
      readonly kind: 'taskArtifact';
      readonly task: TaskDef;
      readonly key: string;
      readonly type: ArtifactType;
    }
  | { readonly kind: 'loopItem'; readonly loop: LoopGroup }
  | { readonly kind: 'collected'; readonly loop: LoopGroup; readonly task: TaskDef; readonly key: string };

/** Prefix kfp gives compiler-made inputs, so they cannot clash with a component's own inputs. */
export const CHANNEL_PREFIX = 'pipelinechannel--';

/** How a task (or group task) in some DAG refers to a source. */
export type InputForm =
  | { readonly parameter: TaskInputParameterJson; readonly dependsOn?: string }
  | { readonly artifact: TaskInputArtifactJson; readonly dependsOn?: string };

/** Names and forms of sources, given the group keys (`condition-2`, …) and loop item numbers. */
export class Channels {
  private readonly keys: ReadonlyMap<number, string>;
  private readonly itemNumbers: ReadonlyMap<number, number>;

  constructor(keys: ReadonlyMap<number, string>, itemNumbers: ReadonlyMap<number, number>) {
    this.keys = keys;
    this.itemNumbers = itemNumbers;
  }

  /** The spec key of a group (`for-loop-3`). */
  key(group: GroupDef | number): string {
    return this.keys.get(typeof group === 'number' ? group : group.id) ?? '?';
  }

  /** The channel (DAG input) name of a source. */
  name(s: Source): string {
    switch (s.kind) {
      case 'param':
        return `${CHANNEL_PREFIX}${s.name}`;
      case 'taskParam':
      case 'taskArtifact':
        return `${CHANNEL_PREFIX}${s.task.name}-${s.key}`;
      case 'loopItem': {
        const items = s.loop.items;
        if (items.kind === 'raw')
          return `${CHANNEL_PREFIX}loop-item-param-${this.itemNumbers.get(s.loop.id)}`;
        const list =
          items.ref.ref === 'pipelineParam' ? items.ref.name : `${items.ref.task}-${items.ref.key}`;
        return `${CHANNEL_PREFIX}${list}-loop-item`;
      }
      case 'collected':
        return `${CHANNEL_PREFIX}${this.key(s.loop)}-${this.collectedKey(s)}`;
    }
  }

  /** The output key under which a loop's DAG gathers a collected output (`pipelinechannel--<task>-<key>`). */
  collectedKey(s: Extract<Source, { kind: 'collected' }>): string {
    return `${CHANNEL_PREFIX}${s.task.name}-${s.key}`;
  }

  /** A stable identity of a source (two sources with one channel name would clash). */
  identity(s: Source): string {
    switch (s.kind) {
      case 'param':
        return `param ${s.name}`;
      case 'taskParam':
      case 'taskArtifact':
        return `output ${s.task.name}.${s.key}`;
      case 'loopItem':
        return `item of ${this.key(s.loop)}`;
      case 'collected':
        return `collected ${s.task.name}.${s.key}`;
    }
  }

  /** The scope a source is available in without a channel: a group id, or undefined for the top level. */
  home(s: Source): number | undefined {
    switch (s.kind) {
      case 'param':
        return undefined;
      case 'taskParam':
      case 'taskArtifact':
        return s.task.parent;
      case 'loopItem':
        return s.loop.id;
      case 'collected':
        return s.loop.parent;
    }
  }

  /** How a consumer in the source's home scope refers to it. */
  origin(s: Source): InputForm {
    switch (s.kind) {
      case 'param':
        return { parameter: { componentInputParameter: s.name } };
      case 'taskParam':
        return {
          parameter: { taskOutputParameter: { producerTask: s.task.name, outputParameterKey: s.key } },
          dependsOn: s.task.name,
        };
      case 'taskArtifact':
        return {
          artifact: { taskOutputArtifact: { producerTask: s.task.name, outputArtifactKey: s.key } },
          dependsOn: s.task.name,
        };
      case 'loopItem':
        return { parameter: { componentInputParameter: this.name(s) } };
      case 'collected':
        return {
          parameter: {
            taskOutputParameter: { producerTask: this.key(s.loop), outputParameterKey: this.collectedKey(s) },
          },
          dependsOn: this.key(s.loop),
        };
    }
  }

  /** How a consumer deeper than the home scope refers to it: through its DAG's input. */
  passedDown(s: Source): InputForm {
    return s.kind === 'taskArtifact'
      ? { artifact: { componentInputArtifact: this.name(s) } }
      : { parameter: { componentInputParameter: this.name(s) } };
  }

  /** The type a DAG input of this source declares. */
  type(s: Source): { parameter: ComponentParameterType } | { artifact: ArtifactType } {
    switch (s.kind) {
      case 'taskArtifact':
        return { artifact: s.type };
      case 'loopItem':
        return { parameter: s.loop.itemType };
      case 'collected':
        return { parameter: 'LIST' };
      default:
        return { parameter: s.type };
    }
  }
}
