// Hand-written PipelineSpecs (the shape KFP 2.x compiles to) for the Vertex emulator tests.
import { FIXTURE_IMAGE } from './harness.ts';

type Params = Record<string, { parameterType: string; defaultValue?: unknown; isOptional?: boolean }>;
type Artifacts = Record<string, { artifactType: { schemaTitle: string; schemaVersion: string } }>;

const dataset = { artifactType: { schemaTitle: 'system.Dataset', schemaVersion: '0.0.1' } };
const metrics = { artifactType: { schemaTitle: 'system.Metrics', schemaVersion: '0.0.1' } };

function component(
  executor: string,
  io: { inParams?: Params; inArtifacts?: Artifacts; outParams?: Params; outArtifacts?: Artifacts },
): object {
  const defs = (parameters?: object, artifacts?: object): object | undefined =>
    parameters || artifacts
      ? { ...(parameters ? { parameters } : {}), ...(artifacts ? { artifacts } : {}) }
      : undefined;
  return {
    executorLabel: executor,
    ...(defs(io.inParams, io.inArtifacts) ? { inputDefinitions: defs(io.inParams, io.inArtifacts) } : {}),
    ...(defs(io.outParams, io.outArtifacts)
      ? { outputDefinitions: defs(io.outParams, io.outArtifacts) }
      : {}),
  };
}

function executor(args: string[], image = FIXTURE_IMAGE): object {
  return { container: { image, command: ['node', 'task.mjs'], args } };
}

/**
 * produce → (branch-a ‖ branch-b) → consume; `produce` hands a Dataset artifact to `consume`, which
 * writes a Metrics artifact and output parameters through executor output.
 */
export function diamondSpec(): object {
  return {
    schemaVersion: '2.1.0',
    sdkVersion: 'hand-written',
    pipelineInfo: { name: 'diamond' },
    root: {
      inputDefinitions: {
        parameters: {
          rows: { parameterType: 'NUMBER_INTEGER', defaultValue: 5 },
          scale: { parameterType: 'NUMBER_DOUBLE' },
          note: { parameterType: 'STRING', defaultValue: 'hello', isOptional: true },
        },
      },
      dag: {
        tasks: {
          produce: {
            taskInfo: { name: 'produce' },
            componentRef: { name: 'comp-produce' },
            inputs: { parameters: { rows: { componentInputParameter: 'rows' } } },
          },
          'branch-a': branchTask('a'),
          'branch-b': branchTask('b'),
          consume: {
            taskInfo: { name: 'consume' },
            componentRef: { name: 'comp-consume' },
            dependentTasks: ['branch-a', 'branch-b', 'produce'],
            inputs: {
              parameters: { scale: { componentInputParameter: 'scale' } },
              artifacts: {
                data: { taskOutputArtifact: { producerTask: 'produce', outputArtifactKey: 'data' } },
              },
            },
          },
        },
      },
    },
    components: {
      'comp-produce': component('exec-produce', {
        inParams: { rows: { parameterType: 'NUMBER_INTEGER' } },
        outParams: { count: { parameterType: 'NUMBER_INTEGER' } },
        outArtifacts: { data: dataset },
      }),
      'comp-branch': component('exec-branch', {
        inParams: { label: { parameterType: 'STRING' }, rows: { parameterType: 'NUMBER_INTEGER' } },
        outParams: { span: { parameterType: 'STRUCT' } },
      }),
      'comp-consume': component('exec-consume', {
        inParams: { scale: { parameterType: 'NUMBER_DOUBLE' } },
        inArtifacts: { data: dataset },
        outParams: { summary: { parameterType: 'STRING' }, total: { parameterType: 'NUMBER_DOUBLE' } },
        outArtifacts: { metrics },
      }),
    },
    deploymentSpec: {
      executors: {
        'exec-produce': executor([
          'produce',
          '--rows',
          "{{$.inputs.parameters['rows']}}",
          '--out',
          "{{$.outputs.artifacts['data'].path}}",
          '--count-file',
          "{{$.outputs.parameters['count'].output_file}}",
        ]),
        'exec-branch': executor([
          'branch',
          '--label',
          "{{$.inputs.parameters['label']}}",
          '--ms',
          '1500',
          '--out-file',
          "{{$.outputs.parameters['span'].output_file}}",
        ]),
        'exec-consume': executor(['consume', '--executor_input', '{{$}}']),
      },
    },
  };
}

function branchTask(label: string): object {
  return {
    taskInfo: { name: `branch-${label}` },
    componentRef: { name: 'comp-branch' },
    inputs: {
      parameters: {
        label: { runtimeValue: { constant: label } },
        rows: { taskOutputParameter: { producerTask: 'produce', outputParameterKey: 'count' } },
      },
    },
  };
}

/** A single-executor pipeline: `tasks` maps task name → args (all run the fixture image unless `image`). */
export function linearSpec(
  tasks: {
    name: string;
    args: string[];
    after?: string[];
    image?: string;
    retry?: object;
    outParams?: Params;
  }[],
  rootParams: Params = {},
): object {
  const dagTasks: Record<string, object> = {};
  const components: Record<string, object> = {};
  const executors: Record<string, object> = {};
  for (const t of tasks) {
    dagTasks[t.name] = {
      taskInfo: { name: t.name },
      componentRef: { name: `comp-${t.name}` },
      ...(t.after ? { dependentTasks: t.after } : {}),
      ...(t.retry ? { retryPolicy: t.retry } : {}),
      inputs: {
        parameters: Object.fromEntries(
          Object.keys(rootParams).map((p) => [p, { componentInputParameter: p }]),
        ),
      },
    };
    components[`comp-${t.name}`] = component(`exec-${t.name}`, {
      ...(Object.keys(rootParams).length ? { inParams: rootParams } : {}),
      ...(t.outParams ? { outParams: t.outParams } : {}),
    });
    executors[`exec-${t.name}`] = executor(t.args, t.image);
  }
  return {
    schemaVersion: '2.1.0',
    sdkVersion: 'hand-written',
    pipelineInfo: { name: 'linear' },
    root: {
      ...(Object.keys(rootParams).length ? { inputDefinitions: { parameters: rootParams } } : {}),
      dag: { tasks: dagTasks },
    },
    components,
    deploymentSpec: { executors },
  };
}

/** A TFX-style schema 2.0.0 spec: `type: INT|DOUBLE|STRING`, `runtimeValue.constantValue`. */
export function legacySpec(): object {
  const params = { epochs: { type: 'INT' }, lr: { type: 'DOUBLE' }, name: { type: 'STRING' } };
  return {
    schemaVersion: '2.0.0',
    sdkVersion: 'tfx-1.14.0',
    pipelineInfo: { name: 'legacy' },
    root: {
      inputDefinitions: { parameters: params },
      dag: {
        tasks: {
          echo: {
            taskInfo: { name: 'echo' },
            componentRef: { name: 'comp-echo' },
            inputs: {
              parameters: {
                epochs: { componentInputParameter: 'epochs' },
                lr: { componentInputParameter: 'lr' },
                name: { componentInputParameter: 'name' },
                fixed: { runtimeValue: { constantValue: { intValue: '42' } } },
              },
            },
          },
        },
      },
    },
    components: {
      'comp-echo': {
        executorLabel: 'exec-echo',
        inputDefinitions: { parameters: { ...params, fixed: { type: 'INT' } } },
        outputDefinitions: { parameters: { args: { type: 'STRING' } } },
      },
    },
    deploymentSpec: {
      executors: {
        'exec-echo': executor([
          'echo',
          '--out-file',
          "{{$.outputs.parameters['args'].output_file}}",
          '--epochs',
          "{{$.inputs.parameters['epochs']}}",
          '--lr',
          "{{$.inputs.parameters['lr']}}",
          '--name',
          "{{$.inputs.parameters['name']}}",
          '--fixed',
          "{{$.inputs.parameters['fixed']}}",
          '--input',
          '{{$}}',
        ]),
      },
    },
  };
}
