// Lays a pipeline's tasks and control-flow groups out as DAGs, as kfp 2.17 does: each group is a DAG
// component run by a task in its parent's DAG; a value made outside a group and used inside it is
// threaded down as a `pipelinechannel--…` input of every group in between; a task depends on the
// first group (or task) of the producer's side that it does not share.
import { Channels, type InputForm, type Source } from './channels.ts';
import { GROUP_STEM, type GroupDef } from './groups.ts';
import type { Pipeline, TaskDef } from './pipeline.ts';
import { isAnyRef, isRef } from './refs.ts';
import type { TaskInputArtifactJson, TaskInputParameterJson, TaskInputsJson } from './spec-types.ts';
import type { ArtifactType, ComponentParameterType, JsonValue } from './types.ts';

/** The inputs and dependencies of one task (container or group) in its DAG. */
export interface TaskWiring {
  readonly parameters: Record<string, TaskInputParameterJson>;
  readonly artifacts: Record<string, TaskInputArtifactJson>;
  readonly dependsOn: Set<string>;
}

/** What a group's DAG component declares, and how its task in the parent DAG is wired. */
export interface GroupIo {
  readonly wiring: TaskWiring;
  readonly inParams: Map<string, { type: ComponentParameterType; identity: string }>;
  readonly inArtifacts: Map<string, { type: ArtifactType; identity: string }>;
  readonly outParams: Map<string, { producerSubtask: string; outputParameterKey: string }>;
}

const newWiring = (): TaskWiring => ({ parameters: {}, artifacts: {}, dependsOn: new Set() });

/** Numbers groups in definition order, depth first, as kfp does (a literal loop's item takes a number first). */
function numberGroups(pipeline: Pipeline, children: (scope: number | undefined) => (TaskDef | GroupDef)[]) {
  const keys = new Map<number, string>();
  const itemNumbers = new Map<number, number>();
  let n = 0;
  const visit = (scope: number | undefined) => {
    for (const child of children(scope)) {
      if (!('kind' in child)) continue;
      if (child.kind === 'loop' && child.items.kind === 'raw') itemNumbers.set(child.id, ++n);
      keys.set(child.id, `${GROUP_STEM[child.kind]}-${++n}`);
      visit(child.id);
    }
  };
  visit(undefined);
  return new Channels(keys, itemNumbers);
}

/** The DAG layout of a pipeline: wiring of every task and group, problems found on the way. */
export class DagLayout {
  readonly channels: Channels;
  private readonly pipeline: Pipeline;
  private readonly problems: string[];
  private readonly groups = new Map<number, GroupDef>();
  private readonly tasks = new Map<string, TaskDef>();
  private readonly taskWiring = new Map<string, TaskWiring>();
  private readonly groupIo = new Map<number, GroupIo>();

  constructor(pipeline: Pipeline, problems: string[]) {
    this.pipeline = pipeline;
    this.problems = problems;
    for (const g of pipeline.groups) this.groups.set(g.id, g);
    for (const t of pipeline.tasks) this.tasks.set(t.name, t);
    this.channels = numberGroups(pipeline, (scope) => this.children(scope));
  }

  /** Tasks and groups directly in `scope`, in definition order. */
  children(scope: number | undefined): (TaskDef | GroupDef)[] {
    return [...this.pipeline.tasks, ...this.pipeline.groups]
      .filter((c) => c.parent === scope)
      .sort((a, b) => a.seq - b.seq);
  }

  /** A group by id. */
  group(id: number): GroupDef | undefined {
    return this.groups.get(id);
  }

  /** The groups enclosing `scope` and `scope` itself, outermost first. */
  chain(scope: number | undefined): number[] {
    const out: number[] = [];
    for (let g = scope; g !== undefined; g = this.groups.get(g)?.parent) out.unshift(g);
    return out;
  }

  /** `condition-2 ('blessed')`: a group as messages name it. */
  describe(group: GroupDef): string {
    const key = this.channels.key(group);
    return group.displayName === undefined ? key : `${key} ('${group.displayName}')`;
  }

  /** Resolves a reference; undefined when it names nothing (the checks report that). */
  resolve(ref: unknown): Source | undefined {
    if (isRef(ref, 'pipelineParam')) {
      const decl = this.pipeline.parameters[ref.name];
      return decl && { kind: 'param', name: ref.name, type: decl.type };
    }
    if (isRef(ref, 'taskOutputParam')) {
      const task = this.tasks.get(ref.task);
      const type = task?.component.outputParameters[ref.key];
      return task && type && { kind: 'taskParam', task, key: ref.key, type };
    }
    if (isRef(ref, 'taskOutputArtifact')) {
      const task = this.tasks.get(ref.task);
      const type = task?.component.outputArtifacts[ref.key];
      return task && type && { kind: 'taskArtifact', task, key: ref.key, type };
    }
    if (isRef(ref, 'loopItem')) {
      const loop = this.groups.get(ref.loop);
      return loop?.kind === 'loop' ? { kind: 'loopItem', loop } : undefined;
    }
    if (isRef(ref, 'collected')) {
      const task = this.tasks.get(ref.task);
      const loop = task?.parent === undefined ? undefined : this.groups.get(task.parent);
      return task && loop?.kind === 'loop' ? { kind: 'collected', loop, task, key: ref.key } : undefined;
    }
    return undefined;
  }

  /** The type of what a reference names, or undefined when it names nothing. */
  typeOf(ref: unknown): ReturnType<Channels['type']> | undefined {
    const s = this.resolve(ref);
    return s === undefined ? undefined : this.channels.type(s);
  }

  /** The wiring of a container task (created empty on first use). */
  wiringOf(task: string): TaskWiring {
    let w = this.taskWiring.get(task);
    if (w === undefined) this.taskWiring.set(task, (w = newWiring()));
    return w;
  }

  /** What a group's DAG takes and gives (created empty on first use). */
  io(group: number): GroupIo {
    let io = this.groupIo.get(group);
    if (io === undefined) {
      io = { wiring: newWiring(), inParams: new Map(), inArtifacts: new Map(), outParams: new Map() };
      this.groupIo.set(group, io);
    }
    return io;
  }

  /**
   * Makes `s` available to a consumer inside `chain` (its enclosing groups, outermost first): every group
   * between the source's home scope and the consumer gets it as a DAG input. Returns the consumer's form.
   */
  thread(s: Source, chain: readonly number[], where: string): InputForm | undefined {
    const home = this.channels.home(s);
    const at = home === undefined ? -1 : chain.indexOf(home);
    if (home !== undefined && at < 0) {
      this.problems.push(`${where} ${this.invisible(s, chain)}`);
      return undefined;
    }
    const name = this.channels.name(s);
    const identity = this.channels.identity(s);
    for (let i = at + 1; i < chain.length; i++) {
      const io = this.io(chain[i] as number);
      const declared = this.channels.type(s);
      const table: Map<string, { identity: string }> = 'artifact' in declared ? io.inArtifacts : io.inParams;
      const clash = table.get(name);
      if (clash !== undefined && clash.identity !== identity) {
        this.problems.push(
          `${where}: ${identity} and ${clash.identity} would both enter ${this.channels.key(chain[i] as number)} as '${name}'`,
        );
        return undefined;
      }
      if ('artifact' in declared) io.inArtifacts.set(name, { type: declared.artifact, identity });
      else io.inParams.set(name, { type: declared.parameter, identity });
      addForm(io.wiring, name, i === at + 1 ? this.channels.origin(s) : this.channels.passedDown(s));
    }
    return chain.length - 1 === at ? this.channels.origin(s) : this.channels.passedDown(s);
  }

  private invisible(s: Source, chain: readonly number[]): string {
    if (s.kind === 'loopItem') return `uses the item of ${this.describe(s.loop)} outside that loop`;
    if (s.kind === 'collected') {
      return `collects ${s.task.name}.${s.key} from ${this.describe(s.loop)}, which sits in a group this task is not in`;
    }
    if (s.kind === 'param') return `cannot see runtime parameter '${s.name}'`;
    const outside = this.chain(s.task.parent).find((g) => !chain.includes(g));
    const group = outside === undefined ? undefined : this.groups.get(outside);
    const hint =
      group?.kind === 'loop' && s.kind === 'taskParam'
        ? `; gather it into a list with collected(${s.task.name}.outputParam('${s.key}'))`
        : '';
    return `uses ${s.task.name}.${s.key}, made inside ${group ? this.describe(group) : 'another group'}, which only tasks inside it can use${hint}`;
  }

  /** Wires a container task's inputs and dependencies (constants too). */
  wireTask(task: TaskDef): void {
    const wiring = this.wiringOf(task.name);
    const chain = this.chain(task.parent);
    for (const [key, value] of Object.entries(task.inputs)) {
      const where = `task '${task.name}': input '${key}'`;
      if (isRef(value, 'taskFinalStatus')) continue; // set by the exit handler
      const s = this.resolve(value);
      if (s === undefined) {
        if (isRef(value, 'collected') && this.tasks.get(value.task)?.component.outputParameters[value.key]) {
          this.problems.push(
            `${where} collects ${value.task}.${value.key}, but task '${value.task}' is not directly inside a loop`,
          );
        } else if (!isAnyRef(value)) {
          wiring.parameters[key] = { runtimeValue: { constant: value as JsonValue } };
        }
        continue;
      }
      if (s.kind === 'collected' && !this.collect(s, chain, where)) continue;
      const form = this.thread(s, chain, where);
      if (form !== undefined) addForm(wiring, key, form);
    }
  }

  /** Registers a collected output on its loop's DAG; false (reported) when the consumer is in the loop. */
  private collect(
    s: Extract<Source, { kind: 'collected' }>,
    chain: readonly number[],
    where: string,
  ): boolean {
    if (chain.includes(s.loop.id)) {
      this.problems.push(`${where} collects ${s.task.name}.${s.key} inside ${this.describe(s.loop)} itself`);
      return false;
    }
    this.io(s.loop.id).outParams.set(this.channels.collectedKey(s), {
      producerSubtask: s.task.name,
      outputParameterKey: s.key,
    });
    return true;
  }

  /** Adds `after` dependencies: on the first group (or task) of the other side not shared. */
  wireAfter(task: TaskDef): void {
    const other = task.after.map((name) => this.tasks.get(name));
    for (const upstream of other) {
      if (upstream === undefined) continue;
      const mine = this.chain(task.parent);
      const theirs = this.chain(upstream.parent);
      let common = 0;
      while (common < mine.length && mine[common] === theirs[common]) common++;
      const upGroup = theirs[common] === undefined ? undefined : this.groups.get(theirs[common] as number);
      if (upGroup !== undefined && upGroup.kind !== 'loop') {
        this.problems.push(
          `task '${task.name}': runs after '${upstream.name}', made inside ${this.describe(upGroup)}, which only tasks inside it can follow`,
        );
        continue;
      }
      const dependsOn = upGroup === undefined ? upstream.name : this.channels.key(upGroup);
      const down = mine[common];
      (down === undefined ? this.wiringOf(task.name) : this.io(down).wiring).dependsOn.add(dependsOn);
    }
  }

  /** Threads a group's own needs: condition operands (into it and every group below, as kfp does) and loop lists. */
  wireGroup(group: GroupDef): void {
    const self = this.chain(group.id);
    if (group.kind === 'loop') {
      const io = this.io(group.id);
      const item: Source = { kind: 'loopItem', loop: group };
      io.inParams.set(this.channels.name(item), {
        type: group.itemType,
        identity: this.channels.identity(item),
      });
      if (group.items.kind === 'ref') {
        const s = this.resolve(group.items.ref);
        if (s !== undefined) this.thread(s, self, this.describe(group));
      }
      return;
    }
    if (group.kind !== 'condition') return;
    const where = this.describe(group);
    const sources = group.terms
      .flatMap((t) => [t.condition.left, t.condition.right])
      .map((operand) => (typeof operand === 'object' ? this.resolve(operand) : undefined))
      .filter((s): s is Source => s !== undefined);
    const below = this.pipeline.groups.filter((g) => g !== group && this.chain(g.id).includes(group.id));
    for (const s of sources) {
      if (this.thread(s, self, where) === undefined) continue;
      for (const g of below) this.thread(s, this.chain(g.id), where);
    }
  }
}

function addForm(wiring: TaskWiring, key: string, form: InputForm): void {
  if ('parameter' in form) wiring.parameters[key] = form.parameter;
  else wiring.artifacts[key] = form.artifact;
  if (form.dependsOn !== undefined) wiring.dependsOn.add(form.dependsOn);
}

/** `dependentTasks` and `inputs` of a wiring, omitted when empty. */
export function wiringJson(w: TaskWiring): { dependentTasks?: string[]; inputs?: TaskInputsJson } {
  const hasParameters = Object.keys(w.parameters).length > 0;
  const hasArtifacts = Object.keys(w.artifacts).length > 0;
  return {
    ...(w.dependsOn.size > 0 ? { dependentTasks: [...w.dependsOn].sort() } : {}),
    ...(hasParameters || hasArtifacts
      ? {
          inputs: {
            ...(hasParameters ? { parameters: w.parameters } : {}),
            ...(hasArtifacts ? { artifacts: w.artifacts } : {}),
          },
        }
      : {}),
  };
}
