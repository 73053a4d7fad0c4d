// The compiler: Pipeline -> PipelineSpec 2.1.0 JSON (deterministic bytes + sha256).
import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.ts';
import { checkRuntimeParameters, checkTaskInputs, renderArgs } from './compile-checks.ts';
import { DagLayout, wiringJson, type TaskWiring } from './compile-dag.ts';
import type { Component } from './component.ts';
import { PipelineCompileError } from './errors.ts';
import { InvalidImageReferenceError, parseImageReference } from './image-ref.ts';
import { checkControlFlow } from './control-flow-checks.ts';
import { groupComponent, groupTask } from './group-spec.ts';
import type { Pipeline, TaskDef } from './pipeline.ts';
import { isRef } from './refs.ts';
import type {
  ComponentSpecJson,
  ContainerSpecJson,
  DagComponentSpecJson,
  IoSpecJson,
  PipelineSpecJson,
  PipelineTaskJson,
} from './spec-types.ts';
import { ARTIFACT_SCHEMA_VERSION, type ArtifactDecls, type ParameterDecls } from './types.ts';

/** The `sdkVersion` Conveyor writes into every spec. */
export const SDK_VERSION = 'conveyor-0.1.0';

/** Options of {@link compilePipeline}. */
export interface CompileOptions {
  /** Image for every component that does not name its own, ideally digest-pinned (`name@sha256:…`). */
  readonly image?: string;
}

/** A compiled pipeline: the spec, its exact bytes and their sha256. */
export interface CompiledPipeline {
  /** The spec as an object (equal to `JSON.parse(json)`). */
  readonly spec: PipelineSpecJson;
  /** The exact bytes to upload: canonical JSON, sorted keys, trailing newline. */
  readonly json: string;
  /** Hex sha256 of `json` (UTF-8). */
  readonly sha256: string;
}

/**
 * Compiles a pipeline to PipelineSpec JSON `schemaVersion 2.1.0`.
 * @throws PipelineCompileError listing every problem (unset inputs, type mismatches, placeholders naming
 * undeclared inputs/outputs, components without an image, two components sharing a name, conditions and
 * loops over missing or mistyped values, outputs used outside the group that makes them, …).
 */
export function compilePipeline(pipeline: Pipeline, options: CompileOptions = {}): CompiledPipeline {
  const problems: string[] = [];
  checkRuntimeParameters(pipeline, problems);
  const layout = new DagLayout(pipeline, problems);
  checkControlFlow(pipeline, layout, problems);
  const components: Record<string, ComponentSpecJson | DagComponentSpecJson> = {};
  const executors: Record<string, { container: ContainerSpecJson }> = {};
  const seen = new Map<string, Component>();
  for (const task of pipeline.tasks) {
    checkTaskInputs(pipeline, task, problems, layout);
    const c = task.component;
    const previous = seen.get(c.name);
    if (previous !== undefined && previous !== c) {
      problems.push(`two different components are named '${c.name}'`);
    } else if (previous === undefined) {
      seen.set(c.name, c);
      components[`comp-${c.name}`] = componentSpec(c);
      executors[`exec-${c.name}`] = { container: containerSpec(c, options.image, problems) };
    }
    layout.wireTask(task);
    layout.wireAfter(task);
  }
  for (const group of pipeline.groups) layout.wireGroup(group);
  const exitTasks = wireExitTasks(pipeline, layout);
  const dagTasks = (scope: number | undefined) =>
    Object.fromEntries(
      layout
        .children(scope)
        .map((c) =>
          'kind' in c
            ? [layout.channels.key(c), groupTask(layout, c)]
            : [c.name, taskSpec(c, layout.wiringOf(c.name), exitTasks.has(c.name))],
        ),
    );
  const rootTasks = dagTasks(undefined);
  checkAcyclic(rootTasks, 'the pipeline', problems);
  for (const group of pipeline.groups) {
    const tasks = dagTasks(group.id);
    checkAcyclic(tasks, layout.describe(group), problems);
    components[`comp-${layout.channels.key(group)}`] = groupComponent(layout, group, tasks);
  }
  if (problems.length > 0) throw new PipelineCompileError(pipeline.name, [...new Set(problems)]);

  const rootParameters = Object.fromEntries(
    Object.entries(pipeline.parameters).map(([name, decl]) => [
      name,
      {
        parameterType: decl.type,
        ...(decl.default === undefined ? {} : { defaultValue: decl.default, isOptional: true }),
        ...(decl.description === undefined ? {} : { description: decl.description }),
      },
    ]),
  );
  const spec: PipelineSpecJson = {
    schemaVersion: '2.1.0',
    sdkVersion: SDK_VERSION,
    pipelineInfo: {
      name: pipeline.name,
      ...(pipeline.description ? { description: pipeline.description } : {}),
    },
    root: {
      ...(Object.keys(rootParameters).length > 0 ? { inputDefinitions: { parameters: rootParameters } } : {}),
      dag: { tasks: rootTasks },
    },
    components,
    deploymentSpec: { executors },
  };
  const json = canonicalJson(spec);
  return {
    spec: JSON.parse(json) as PipelineSpecJson,
    json,
    sha256: createHash('sha256').update(json).digest('hex'),
  };
}

/** Wires each exit task: it depends on its handler's group, gets the final status, runs whatever happened. */
function wireExitTasks(pipeline: Pipeline, layout: DagLayout): Set<string> {
  const exitTasks = new Set<string>();
  for (const group of pipeline.groups) {
    if (group.kind !== 'exitHandler') continue;
    const key = layout.channels.key(group);
    const wiring = layout.wiringOf(group.exitTask);
    wiring.dependsOn.add(key);
    const task = pipeline.tasks.find((t) => t.name === group.exitTask);
    for (const [input, value] of Object.entries(task?.inputs ?? {})) {
      if (isRef(value, 'taskFinalStatus'))
        wiring.parameters[input] = { taskFinalStatus: { producerTask: key } };
    }
    exitTasks.add(group.exitTask);
  }
  return exitTasks;
}

/** Reports a dependency cycle among one DAG's tasks (an exit handler's body running after its exit task). */
function checkAcyclic(
  tasks: Readonly<Record<string, { dependentTasks?: readonly string[] }>>,
  where: string,
  problems: string[],
): void {
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, path: string[]): boolean => {
    if (state.get(name) === 'done' || tasks[name] === undefined) return false;
    if (state.get(name) === 'visiting') {
      problems.push(
        `${where}: tasks depend on each other in a cycle: ${[...path.slice(path.indexOf(name)), name].join(' → ')}`,
      );
      return true;
    }
    state.set(name, 'visiting');
    const cyclic = (tasks[name]?.dependentTasks ?? []).some((d) => visit(d, [...path, name]));
    state.set(name, 'done');
    return cyclic;
  };
  for (const name of Object.keys(tasks).sort()) if (visit(name, [])) return;
}

function ioSpec(c: Component, parameters: ParameterDecls, artifacts: ArtifactDecls): IoSpecJson | undefined {
  const describe = (name: string) =>
    c.descriptions[name] === undefined ? {} : { description: c.descriptions[name] };
  const p = Object.entries(parameters).map(([name, type]) => [
    name,
    // kfp marks a TASK_FINAL_STATUS input optional: the backend fills it, no caller sets it.
    { parameterType: type, ...(type === 'TASK_FINAL_STATUS' ? { isOptional: true } : {}), ...describe(name) },
  ]);
  const a = Object.entries(artifacts).map(([name, type]) => [
    name,
    { artifactType: { schemaTitle: type, schemaVersion: ARTIFACT_SCHEMA_VERSION }, ...describe(name) },
  ]);
  if (p.length === 0 && a.length === 0) return undefined;
  return {
    ...(p.length > 0 ? { parameters: Object.fromEntries(p) } : {}),
    ...(a.length > 0 ? { artifacts: Object.fromEntries(a) } : {}),
  };
}

function componentSpec(c: Component): ComponentSpecJson {
  const inputs = ioSpec(c, c.inputParameters, c.inputArtifacts);
  const outputs = ioSpec(c, c.outputParameters, c.outputArtifacts);
  return {
    ...(inputs ? { inputDefinitions: inputs } : {}),
    ...(outputs ? { outputDefinitions: outputs } : {}),
    executorLabel: `exec-${c.name}`,
  };
}

function containerSpec(
  c: Component,
  defaultImage: string | undefined,
  problems: string[],
): ContainerSpecJson {
  const image = c.image ?? defaultImage;
  if (image === undefined || image === '') {
    problems.push(`component '${c.name}' has no image and no compile-time image was given`);
  } else {
    try {
      parseImageReference(image);
    } catch (e: unknown) {
      if (!(e instanceof InvalidImageReferenceError)) throw e;
      problems.push(`component '${c.name}': ${e.message}`);
    }
  }
  const env = Object.keys(c.env)
    .sort()
    .map((name) => ({ name, value: c.env[name] ?? '' }));
  const r = c.resources;
  const resources = r && {
    ...(r.cpuLimit ? { resourceCpuLimit: r.cpuLimit } : {}),
    ...(r.memoryLimit ? { resourceMemoryLimit: r.memoryLimit } : {}),
    ...(r.cpuRequest ? { resourceCpuRequest: r.cpuRequest } : {}),
    ...(r.memoryRequest ? { resourceMemoryRequest: r.memoryRequest } : {}),
  };
  const args = renderArgs(c, c.args, problems);
  return {
    image: image ?? '',
    command: renderArgs(c, c.command, problems),
    ...(args.length > 0 ? { args } : {}),
    ...(env.length > 0 ? { env } : {}),
    ...(resources && Object.keys(resources).length > 0 ? { resources } : {}),
  };
}

function taskSpec(task: TaskDef, wiring: TaskWiring, isExitTask: boolean): PipelineTaskJson {
  const r = task.retry;
  return {
    taskInfo: { name: task.name },
    componentRef: { name: `comp-${task.component.name}` },
    ...wiringJson(wiring),
    cachingOptions: task.cache ? { enableCache: true } : {},
    ...(r
      ? {
          retryPolicy: {
            maxRetryCount: r.maxRetryCount,
            ...(r.backoffSeconds === undefined ? {} : { backoffDuration: `${r.backoffSeconds}s` }),
            ...(r.backoffFactor === undefined ? {} : { backoffFactor: r.backoffFactor }),
            ...(r.backoffMaxSeconds === undefined ? {} : { backoffMaxDuration: `${r.backoffMaxSeconds}s` }),
          },
        }
      : {}),
    ...(isExitTask ? { triggerPolicy: { strategy: 'ALL_UPSTREAM_TASKS_COMPLETED' as const } } : {}),
  };
}
