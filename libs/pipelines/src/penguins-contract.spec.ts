// Contract test: the compiled penguins spec drives the real penguins app. A small stand-in for the KFP
// launcher resolves the spec's placeholders to local paths and runs each task's command as a process
// (`node penguins.js` → this Node on apps/penguins/src/main.ts). The app's flags are strict, so any
// mismatch between the pipeline and the app fails here with exit status 2 and the flag's name.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compilePipeline, readPipelineSpec, typeParameters, type ParameterValue } from '@conveyor/pipeline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { penguins } from './penguins.ts';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const penguinsMain = join(repoRoot, 'apps', 'penguins', 'src', 'main.ts');

interface TaskSpec {
  componentRef: { name: string };
  dependentTasks?: string[];
  inputs?: {
    parameters?: Record<
      string,
      {
        componentInputParameter?: string;
        runtimeValue?: { constant: ParameterValue };
        taskOutputParameter?: { producerTask: string; outputParameterKey: string };
      }
    >;
    artifacts?: Record<string, { taskOutputArtifact: { producerTask: string; outputArtifactKey: string } }>;
  };
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

/** Runs the compiled pipeline locally; returns output parameters by task. */
async function runLocally(json: string, values: Record<string, unknown>, dir: string) {
  const read = readPipelineSpec(json);
  const params = typeParameters(read.parameters, values);
  const spec = JSON.parse(json) as {
    root: { dag: { tasks: Record<string, TaskSpec> } };
    components: Record<
      string,
      { executorLabel: string; outputDefinitions?: { parameters?: object; artifacts?: object } }
    >;
    deploymentSpec: { executors: Record<string, { container: { command: string[]; args: string[] } }> };
  };
  const outputs: Record<string, Record<string, string>> = {};
  const done = new Set<string>();
  const tasks = spec.root.dag.tasks;
  const logs: string[] = [];
  while (done.size < Object.keys(tasks).length) {
    const ready = Object.entries(tasks).find(
      ([n, t]) => !done.has(n) && (t.dependentTasks ?? []).every((d) => done.has(d)),
    );
    if (ready === undefined) throw new Error('cycle');
    const [name, task] = ready;
    const component = spec.components[task.componentRef.name]!;
    const { container } = spec.deploymentSpec.executors[component.executorLabel]!;
    const inParams: Record<string, string> = {};
    for (const [k, s] of Object.entries(task.inputs?.parameters ?? {})) {
      if (s.componentInputParameter) inParams[k] = String(params[s.componentInputParameter] ?? '');
      else if (s.runtimeValue) inParams[k] = String(s.runtimeValue.constant);
      else if (s.taskOutputParameter)
        inParams[k] = outputs[s.taskOutputParameter.producerTask]![s.taskOutputParameter.outputParameterKey]!;
    }
    const inArtifacts: Record<string, string> = {};
    for (const [k, s] of Object.entries(task.inputs?.artifacts ?? {})) {
      inArtifacts[k] = join(
        dir,
        s.taskOutputArtifact.producerTask,
        'artifacts',
        s.taskOutputArtifact.outputArtifactKey,
      );
    }
    await mkdir(join(dir, name, 'params'), { recursive: true });
    const resolve = (arg: string) =>
      arg
        .replace(/\{\{\$\.inputs\.parameters\['([^']+)'\]\}\}/g, (_m, k: string) => inParams[k] ?? '')
        .replace(/\{\{\$\.inputs\.artifacts\['([^']+)'\]\.path\}\}/g, (_m, k: string) => inArtifacts[k] ?? '')
        .replace(/\{\{\$\.outputs\.artifacts\['([^']+)'\]\.path\}\}/g, (_m, k: string) =>
          join(dir, name, 'artifacts', k),
        )
        .replace(/\{\{\$\.outputs\.parameters\['([^']+)'\]\.output_file\}\}/g, (_m, k: string) =>
          join(dir, name, 'params', k),
        )
        .replace('{{$.outputs.output_file}}', join(dir, name, 'executor_output.json'));
    expect(container.command.slice(0, 2)).toEqual(['node', 'penguins.js']);
    const result = await run(process.execPath, [
      penguinsMain,
      ...container.command.slice(2),
      ...container.args.map(resolve),
    ]);
    logs.push(`--- ${name} (exit ${result.code})\n${result.output}`);
    if (result.code !== 0) throw new Error(logs.join('\n'));
    outputs[name] = {};
    for (const key of Object.keys(component.outputDefinitions?.parameters ?? {})) {
      outputs[name][key] = await readFile(join(dir, name, 'params', key), 'utf8');
    }
    done.add(name);
  }
  return outputs;
}

describe('the compiled penguins spec runs the penguins app', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'penguins-contract-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('trains, blesses and pushes to the serving root; a worse model is then not pushed', async () => {
    const { json } = compilePipeline(penguins, { image: 'local/penguins:dev' });
    const serving = join(dir, 'serving');
    const first = await runLocally(
      json,
      { num_epochs: '10', learning_rate: '0.01', serving_root: serving, model_version: 'run-1' },
      join(dir, 'run-1'),
    );
    expect(first['evaluator']).toEqual({ blessed: 'true' });
    expect(first['pusher']?.['pushed_uri']).toBe(join(serving, 'penguins', 'run-1'));
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
    expect(second['evaluator']).toEqual({ blessed: 'false' });
    expect(second['pusher']).toEqual({ pushed_uri: '' });
    expect(await readdir(join(serving, 'penguins'))).not.toContain('run-2');
  });
});
