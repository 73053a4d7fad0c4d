// The compiler: Pipeline -> PipelineSpec 2.1.0 JSON (deterministic bytes + sha256).
import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.ts';
import { checkRuntimeParameters, checkTaskInputs, isRef, renderArgs } from './compile-checks.ts';
import type { Component } from './component.ts';
import { PipelineCompileError } from './errors.ts';
import { InvalidImageReferenceError, parseImageReference } from './image-ref.ts';
import type { Pipeline, TaskDef } from './pipeline.ts';
import type {
  ComponentSpecJson,
  ContainerSpecJson,
  IoSpecJson,
  PipelineSpecJson,
  PipelineTaskJson,
  TaskInputArtifactJson,
  TaskInputParameterJson,
} from './spec-types.ts';
import {
  ARTIFACT_SCHEMA_VERSION,
  type ArtifactDecls,
  type ParameterDecls,
  type ParameterValue,
} from './types.ts';

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
 * undeclared inputs/outputs, components without an image, two components sharing a name).
 */
export function compilePipeline(pipeline: Pipeline, options: CompileOptions = {}): CompiledPipeline {
  const problems: string[] = [];
  checkRuntimeParameters(pipeline, problems);
  const components: Record<string, ComponentSpecJson> = {};
  const executors: Record<string, { container: ContainerSpecJson }> = {};
  const seen = new Map<string, Component>();
  const tasks: Record<string, PipelineTaskJson> = {};
  for (const task of pipeline.tasks) {
    checkTaskInputs(pipeline, task, problems);
    const c = task.component;
    const previous = seen.get(c.name);
    if (previous !== undefined && previous !== c) {
      problems.push(`two different components are named '${c.name}'`);
    } else if (previous === undefined) {
      seen.set(c.name, c);
      components[`comp-${c.name}`] = componentSpec(c);
      executors[`exec-${c.name}`] = { container: containerSpec(c, options.image, problems) };
    }
    tasks[task.name] = taskSpec(task);
  }
  if (problems.length > 0) throw new PipelineCompileError(pipeline.name, problems);

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
      dag: { tasks },
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

function ioSpec(c: Component, parameters: ParameterDecls, artifacts: ArtifactDecls): IoSpecJson | undefined {
  const describe = (name: string) =>
    c.descriptions[name] === undefined ? {} : { description: c.descriptions[name] };
  const p = Object.entries(parameters).map(([name, type]) => [
    name,
    { parameterType: type, ...describe(name) },
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

function taskSpec(task: TaskDef): PipelineTaskJson {
  const parameters: Record<string, TaskInputParameterJson> = {};
  const artifacts: Record<string, TaskInputArtifactJson> = {};
  const dependsOn = new Set(task.after);
  for (const [key, source] of Object.entries(task.inputs)) {
    if (isRef(source, 'pipelineParam')) {
      parameters[key] = { componentInputParameter: source.name };
    } else if (isRef(source, 'taskOutputParam')) {
      parameters[key] = {
        taskOutputParameter: { producerTask: source.task, outputParameterKey: source.key },
      };
      dependsOn.add(source.task);
    } else if (isRef(source, 'taskOutputArtifact')) {
      artifacts[key] = { taskOutputArtifact: { producerTask: source.task, outputArtifactKey: source.key } };
      dependsOn.add(source.task);
    } else {
      parameters[key] = { runtimeValue: { constant: source as ParameterValue } };
    }
  }
  const hasParameters = Object.keys(parameters).length > 0;
  const hasArtifacts = Object.keys(artifacts).length > 0;
  const r = task.retry;
  return {
    taskInfo: { name: task.name },
    componentRef: { name: `comp-${task.component.name}` },
    ...(dependsOn.size > 0 ? { dependentTasks: [...dependsOn].sort() } : {}),
    ...(hasParameters || hasArtifacts
      ? { inputs: { ...(hasParameters ? { parameters } : {}), ...(hasArtifacts ? { artifacts } : {}) } }
      : {}),
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
  };
}
