// Contract test: the compiled penguins spec drives the real penguins app. A small stand-in for the KFP
// launcher resolves the spec's placeholders to local paths and runs each task's command as a process
// (`node penguins.js` → this Node on apps/penguins/src/main.ts). The app's flags are strict, so any
// mismatch between the pipeline and the app fails here with exit status 2 and the flag's name. Condition
// groups run as nested DAGs; the stand-in evaluates only the `<input> == <literal>` conditions penguins
// uses and fails on any other (the Vertex emulator runs the real thing: tests/penguins-vertex.test.ts).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { compilePipeline, readPipelineSpec, toRuntimeConfig, typeParameters } from '@conveyor/pipeline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { penguins } from './penguins.ts';
import { repoPath, repoRoot } from '@conveyor/platform/repo-root';

const penguinsMain = repoPath('apps', 'penguins', 'src', 'main.ts');

interface TaskSpec {
  componentRef: { name: string };
  dependentTasks?: string[];
  triggerPolicy?: { condition?: string };
  inputs?: {
    parameters?: Record<
      string,
      {
        componentInputParameter?: string;
        runtimeValue?: { constant: unknown };
        taskOutputParameter?: { producerTask: string; outputParameterKey: string };
      }
    >;
    artifacts?: Record<
      string,
      {
        componentInputArtifact?: string;
        taskOutputArtifact?: { producerTask: string; outputArtifactKey: string };
      }
    >;
  };
}

interface Spec {
  root: { dag: { tasks: Record<string, TaskSpec> } };
  components: Record<
    string,
    {
      executorLabel?: string;
      dag?: { tasks: Record<string, TaskSpec> };
      outputDefinitions?: { parameters?: object };
    }
  >;
  deploymentSpec: { executors: Record<string, { container: { command: string[]; args: string[] } }> };
}

/** What a DAG's tasks see: its input parameters (values) and input artifacts (local paths). */
interface Scope {
  parameters: Record<string, unknown>;
  artifacts: Record<string, string>;
}

/** A finished run: output parameters of container tasks, and the groups whose condition was false. */
interface LocalRun {
  outputs: Record<string, Record<string, string>>;
  notTriggered: string[];
}

function run(command: string, args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((done) => {
    // 60 s: training 10 epochs takes about a second here; the bound only stops a hung process.
    execFile(command, args, { timeout: 60_000, cwd: repoRoot }, (error, stdout, stderr) => {
      done({
        code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1,
        output: stdout + stderr,
      });
    });
  });
}

/** `inputs.parameter_values['k'] == 'text'` or `== true|false`; anything else is beyond this stand-in. */
function holds(condition: string, parameters: Record<string, unknown>): boolean {
  const m = /^inputs\.parameter_values\['([^']+)'\] == (?:'([^'\\]*)'|(true|false))$/.exec(condition);
  if (!m?.[1]) throw new Error(`the stand-in launcher cannot evaluate ${condition}`);
  return parameters[m[1]] === (m[2] ?? m[3] === 'true');
}

/** Runs the compiled pipeline locally. */
async function runLocally(json: string, values: Record<string, unknown>, dir: string): Promise<LocalRun> {
  const read = readPipelineSpec(json);
  const config = toRuntimeConfig(read, typeParameters(read.parameters, values), { gcsOutputDirectory: dir });
  if (!('parameterValues' in config)) throw new Error('expected a 2.1.0 spec');
  const spec = JSON.parse(json) as Spec;
  const result: LocalRun = { outputs: {}, notTriggered: [] };
  const logs: string[] = [];
  const artifactPath = (task: string, key: string) => join(dir, task, 'artifacts', key);

  async function runDag(tasks: Record<string, TaskSpec>, scope: Scope): Promise<void> {
    const done = new Set<string>();
    while (done.size < Object.keys(tasks).length) {
      const ready = Object.entries(tasks).find(
        ([n, t]) => !done.has(n) && (t.dependentTasks ?? []).every((d) => done.has(d)),
      );
      if (ready === undefined) throw new Error('cycle');
      const [name, task] = ready;
      const own: Scope = { parameters: {}, artifacts: {} };
      for (const [k, s] of Object.entries(task.inputs?.parameters ?? {})) {
        if (s.componentInputParameter) own.parameters[k] = scope.parameters[s.componentInputParameter];
        else if (s.runtimeValue) own.parameters[k] = s.runtimeValue.constant;
        else if (s.taskOutputParameter) {
          const { producerTask, outputParameterKey } = s.taskOutputParameter;
          own.parameters[k] = result.outputs[producerTask]?.[outputParameterKey];
        }
      }
      for (const [k, s] of Object.entries(task.inputs?.artifacts ?? {})) {
        own.artifacts[k] = s.componentInputArtifact
          ? (scope.artifacts[s.componentInputArtifact] ?? '')
          : artifactPath(
              s.taskOutputArtifact?.producerTask ?? '',
              s.taskOutputArtifact?.outputArtifactKey ?? '',
            );
      }
      const component = spec.components[task.componentRef.name]!;
      const condition = task.triggerPolicy?.condition;
      if (condition !== undefined && !holds(condition, own.parameters)) result.notTriggered.push(name);
      else if (component.dag) await runDag(component.dag.tasks, own);
      else await runContainer(name, component, own);
      done.add(name);
    }
  }

  async function runContainer(name: string, component: Spec['components'][string], own: Scope) {
    const { container } = spec.deploymentSpec.executors[component.executorLabel ?? '']!;
    await mkdir(join(dir, name, 'params'), { recursive: true });
    const resolve = (arg: string) =>
      arg
        .replace(/\{\{\$\.inputs\.parameters\['([^']+)'\]\}\}/g, (_m, k: string) =>
          String(own.parameters[k] ?? ''),
        )
        .replace(
          /\{\{\$\.inputs\.artifacts\['([^']+)'\]\.path\}\}/g,
          (_m, k: string) => own.artifacts[k] ?? '',
        )
        .replace(/\{\{\$\.outputs\.artifacts\['([^']+)'\]\.path\}\}/g, (_m, k: string) =>
          artifactPath(name, k),
        )
        .replace(/\{\{\$\.outputs\.parameters\['([^']+)'\]\.output_file\}\}/g, (_m, k: string) =>
          join(dir, name, 'params', k),
        )
        .replace('{{$.outputs.output_file}}', join(dir, name, 'executor_output.json'));
    expect(container.command.slice(0, 2)).toEqual(['node', 'penguins.js']);
    const outcome = await run(process.execPath, [
      penguinsMain,
      ...container.command.slice(2),
      ...container.args.map(resolve),
    ]);
    logs.push(`--- ${name} (exit ${outcome.code})\n${outcome.output}`);
    if (outcome.code !== 0) throw new Error(logs.join('\n'));
    result.outputs[name] = {};
    for (const key of Object.keys(component.outputDefinitions?.parameters ?? {})) {
      result.outputs[name][key] = await readFile(join(dir, name, 'params', key), 'utf8');
    }
  }

  await runDag(spec.root.dag.tasks, { parameters: config.parameterValues, artifacts: {} });
  return result;
}

describe('the compiled penguins spec runs the penguins app', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'penguins-contract-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('trains, blesses and pushes; a worse model is not pushed, nor a good one with push=false', async () => {
    const { json } = compilePipeline(penguins, { image: 'local/penguins:dev' });
    const serving = join(dir, 'serving');
    const first = await runLocally(
      json,
      { num_epochs: '10', learning_rate: '0.01', serving_root: serving, model_version: 'run-1' },
      join(dir, 'run-1'),
    );
    expect(first.outputs['evaluator']).toEqual({ blessed: 'true' });
    expect(first.notTriggered).toEqual([]);
    expect(first.outputs['pusher']?.['pushed_uri']).toBe(join(serving, 'penguins', 'run-1'));
    expect(await readdir(join(serving, 'penguins', 'run-1'))).toContain('model.json');
    const metrics = JSON.parse(
      await readFile(join(dir, 'run-1', 'evaluator', 'executor_output.json'), 'utf8'),
    ) as {
      artifacts: { metrics: { artifacts: [{ metadata: { accuracy: number } }] } };
    };
    expect(metrics.artifacts.metrics.artifacts[0].metadata.accuracy).toBeGreaterThanOrEqual(0.9);

    const second = await runLocally(
      json,
      { num_epochs: 1, learning_rate: 0.001, serving_root: serving, model_version: 'run-2' },
      join(dir, 'run-2'),
    );
    expect(second.outputs['evaluator']).toEqual({ blessed: 'false' });
    expect(second.notTriggered).toEqual(['condition-1']);
    expect(second.outputs['pusher']).toBeUndefined();

    const trial = await runLocally(
      json,
      { num_epochs: 10, serving_root: join(dir, 'trial-serving'), model_version: 'run-3', push: 'false' },
      join(dir, 'run-3'),
    );
    expect(trial.outputs['evaluator']).toEqual({ blessed: 'true' });
    expect(trial.notTriggered).toEqual(['condition-2']);
    expect(trial.outputs['pusher']).toBeUndefined();
    expect(await readdir(join(serving, 'penguins'))).toEqual(['LATEST', 'run-1']);
    expect(existsSync(join(dir, 'trial-serving', 'penguins'))).toBe(false);
  });
});
