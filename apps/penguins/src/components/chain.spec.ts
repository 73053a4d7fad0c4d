/**
 * Each component run alone as a process, chained as the pipeline chains them:
 * example-gen → trainer → evaluator → pusher, then a worse model the evaluator does not bless (the
 * pipeline's condition then keeps the pusher from running: see libs/pipelines).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

let dir = '';
const gcs = (): string => join(dir, 'gcs');
const p = (...parts: string[]): string => join(dir, ...parts);

function run(component: string, ...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [MAIN, component, ...args],
      // 60 s: a component here takes about a second; the bound only stops a hung process.
      { env: { ...process.env, CONVEYOR_GCS_MOUNT: gcs() }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

async function ok(component: string, ...args: string[]): Promise<Run> {
  const r = await run(component, ...args);
  if (r.code !== 0) throw new Error(`${component} exited ${r.code}: ${r.stderr}`);
  return r;
}

const json = async (file: string): Promise<Record<string, unknown>> =>
  JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
const metadata = async (file: string, artifact: string): Promise<Record<string, unknown>> => {
  const out = (await json(file)) as {
    artifacts: Record<string, { artifacts: { metadata: Record<string, unknown> }[] }>;
  };
  return out.artifacts[artifact]?.artifacts[0]?.metadata ?? {};
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'penguins-chain-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('penguins components, chained as processes', () => {
  it('example-gen splits 333 complete rows 266/67, the same bytes for the same seed', async () => {
    const r = await ok(
      'example-gen',
      '--train_examples',
      p('train'),
      '--eval_examples',
      p('eval'),
      '--executor_output',
      p('eg.json'),
    );
    expect(r.stdout).toContain('344 records, 11 incomplete dropped, 333 kept');
    expect(await metadata(p('eg.json'), 'train_examples')).toMatchObject({ rows: 266, seed: 42 });
    expect(await metadata(p('eg.json'), 'eval_examples')).toMatchObject({
      rows: 67,
      species: { Adelie: 29, Chinstrap: 14, Gentoo: 24 },
    });
    await ok('example-gen', '--train_examples', p('train2'), '--eval_examples', p('eval2'));
    expect(await readFile(p('eval2', 'data.json'), 'utf8')).toBe(
      await readFile(p('eval', 'data.json'), 'utf8'),
    );
  });

  it('trainer writes a tfjs model, preprocessing and history; the same seed gives the same weights', async () => {
    const args = ['--train_examples', p('train'), '--num_epochs', '5', '--learning_rate', '0.01'];
    const r = await ok('trainer', ...args, '--model', p('model'), '--executor_output', p('tr.json'));
    expect(r.stdout).toContain('epoch 5/5');
    for (const f of ['model.json', 'weights.bin', 'preprocessing.json', 'history.json'])
      expect(existsSync(p('model', f))).toBe(true);
    const history = JSON.parse(await readFile(p('model', 'history.json'), 'utf8')) as { loss: number }[];
    expect(history).toHaveLength(5);
    expect(history[4]!.loss).toBeLessThan(history[0]!.loss);
    expect(await metadata(p('tr.json'), 'model')).toMatchObject({
      num_epochs: 5,
      learning_rate: 0.01,
      train_examples: 266,
    });
    await ok('trainer', ...args, '--model', p('model-again'));
    expect(
      Buffer.compare(
        await readFile(p('model-again', 'weights.bin')),
        await readFile(p('model', 'weights.bin')),
      ),
    ).toBe(0);
  });

  it('evaluator blesses a good first model (nothing served yet) and reports metrics', async () => {
    const r = await ok(
      'evaluator',
      '--model',
      p('model'),
      '--eval_examples',
      p('eval'),
      '--metrics',
      p('metrics'),
      '--blessed',
      p('blessed'),
      '--serving_root',
      'gs://bucket/serving',
      '--executor_output',
      p('ev.json'),
    );
    expect(r.stdout).toContain('no model pushed under gs://bucket/serving yet');
    expect(await readFile(p('blessed'), 'utf8')).toBe('true');
    const m = await metadata(p('ev.json'), 'metrics');
    expect(m['accuracy']).toBeGreaterThanOrEqual(0.9);
    expect(m).toHaveProperty('f1_Chinstrap');
    expect((await json(p('metrics', 'metrics.json')))['confusionMatrix']).toHaveLength(3);
  });

  it('pusher copies the model into the serving root and points LATEST at it', async () => {
    await ok(
      'pusher',
      '--model',
      p('model'),
      '--serving_root',
      'gs://bucket/serving',
      '--pushed_uri',
      p('pushed'),
      '--version',
      'run-1',
      '--metrics',
      p('metrics'),
      '--executor_output',
      p('pu.json'),
    );
    expect(await readFile(p('pushed'), 'utf8')).toBe('gs://bucket/serving/penguins/run-1');
    expect(existsSync(join(gcs(), 'bucket/serving/penguins/run-1/weights.bin'))).toBe(true);
    const latest = await json(join(gcs(), 'bucket/serving/penguins/LATEST'));
    expect(latest).toMatchObject({ version: 'run-1', uri: 'gs://bucket/serving/penguins/run-1' });
    expect(latest['accuracy']).toBeGreaterThanOrEqual(0.9);
    expect((await json(p('pu.json')))['parameterValues']).toEqual({
      pushed_uri: 'gs://bucket/serving/penguins/run-1',
    });
  });

  it('pusher leaves blessing and the push switch to the pipeline: --blessed and --push are unknown flags', async () => {
    for (const flag of ['--blessed', '--push']) {
      const r = await run(
        'pusher',
        '--model',
        p('model'),
        flag,
        'true',
        '--serving_root',
        'gs://bucket/x',
        '--pushed_uri',
        p('x'),
      );
      expect(r).toMatchObject({
        code: 2,
        stderr: expect.stringContaining(`unknown flag ${flag}`) as unknown,
      });
    }
    expect(existsSync(join(gcs(), 'bucket/x'))).toBe(false);
  });

  it('pusher refuses a folder that holds no model', async () => {
    const r = await run(
      'pusher',
      '--model',
      p('train'),
      '--serving_root',
      'gs://bucket/x',
      '--pushed_uri',
      p('x'),
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${p('train')} holds no model.json: not a model artifact`);
    expect(existsSync(join(gcs(), 'bucket/x'))).toBe(false);
  });

  it('a worse second model is not blessed against the served one', async () => {
    await ok(
      'trainer',
      '--train_examples',
      p('train'),
      '--num_epochs',
      '1',
      '--learning_rate',
      '0.001',
      '--model',
      p('worse'),
    );
    // Threshold 0: only the comparison with the served model can refuse it.
    const r = await ok(
      'evaluator',
      '--model',
      p('worse'),
      '--eval_examples',
      p('eval'),
      '--metrics',
      p('metrics2'),
      '--blessed',
      p('blessed2'),
      '--serving_root',
      'gs://bucket/serving',
      '--threshold',
      '0',
    );
    expect(r.stdout).toMatch(/served model run-1 .* scores accuracy=/);
    expect(r.stdout).toMatch(/NOT blessed: accuracy .* < served model's/);
    expect(await readFile(p('blessed2'), 'utf8')).toBe('false');
    expect((await json(join(gcs(), 'bucket/serving/penguins/LATEST')))['version']).toBe('run-1');
  });

  it('exits 2 naming the flag for usage errors, 1 with a message for failures', async () => {
    const unknown = await run('trainer', '--train_examples', p('train'), '--epochs', '3');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown flag --epochs');
    const missing = await run('pusher', '--model', p('model'), '--serving_root', '/x');
    expect(missing).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('missing required flag --pushed_uri') as unknown,
    });
    expect((await run('exampel-gen')).stderr).toContain("unknown component 'exampel-gen'");
    const failed = await run(
      'evaluator',
      '--model',
      p('nope'),
      '--eval_examples',
      p('eval'),
      '--metrics',
      p('m3'),
      '--blessed',
      p('b3'),
    );
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain(`cannot load model from ${p('nope')}`);
  });

  it('takes everything from --executor_input instead (KFP {{$}}), gs:// artifact URIs through the mount', async () => {
    const executorInput = {
      inputs: { parameterValues: { seed: 7 } },
      outputs: {
        artifacts: {
          train_examples: { artifacts: [{ uri: 'gs://bucket/root/eg/train_examples' }] },
          eval_examples: { artifacts: [{ uri: 'gs://bucket/root/eg/eval_examples' }] },
        },
        outputFile: p('ei', 'executor_output.json'),
      },
    };
    await ok('example-gen', '--executor_input', JSON.stringify(executorInput));
    expect(existsSync(join(gcs(), 'bucket/root/eg/eval_examples/data.json'))).toBe(true);
    expect(await metadata(p('ei', 'executor_output.json'), 'train_examples')).toMatchObject({
      rows: 266,
      seed: 7,
    });
  });
});
