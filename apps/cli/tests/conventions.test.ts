// The conventions every command keeps: `-o json` prints one JSON document on stdout (every command is
// run here), one exit code table in text and JSON modes, `--version`, shell completion.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PubSub } from '@google-cloud/pubsub';
import type { Client, Connection } from '@temporalio/client';
import type { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ObjectStore } from '@conveyor/gcp';
import { uniqueName } from '@conveyor/testing';
import { buildProgram } from '../src/main.ts';
import type { StartedRun } from '../src/commands/run.ts';
import type { PulledModel } from '../src/models/serving.ts';
import { conveyorJson, conveyorRaw, repoRoot, stack, stubWorker, temporalClient } from './support.ts';

const SLEEP_SPEC = join(repoRoot, 'apps', 'cli', 'tests', 'fixtures', 'sleep.yaml');
const KFP = join(repoRoot, 'apps', 'gcp-emulator', 'tests', 'fixtures', 'kfp', 'containers.json');
const { version } = JSON.parse(readFileSync(join(repoRoot, 'apps', 'cli', 'package.json'), 'utf8')) as {
  version: string;
};

const hidden = (c: Command) => (c as unknown as { _hidden?: boolean })._hidden === true;

/** Every leaf command's path, e.g. `runs list` (hidden ones aside: `hook notify` is the hook's, tests/hook.test.ts). */
function leaves(command: Command, path: string[] = []): string[] {
  if (command.commands.length === 0) return [path.join(' ')];
  return command.commands.filter((c) => !hidden(c)).flatMap((c) => leaves(c, [...path, c.name()]));
}

const scratch = mkdtempSync(join(tmpdir(), 'conveyor-cli-json-'));
const taskQueue = uniqueName('json-q');
const scheduleId = uniqueName('json-schedule');
const topic = uniqueName('json-topic');
const servingRoot = `gs://conveyor-local-conveyor/${uniqueName('json-serving')}`;
let connection: Connection;
let client: Client;
let worker: { stop: () => Promise<void> };
let pubsub: PubSub;
let finished: StartedRun & { status: string };
let sleeping: StartedRun;

beforeAll(async () => {
  ({ connection, client } = await temporalClient());
  worker = await stubWorker(taskQueue);
  pubsub = new PubSub({
    projectId: stack().pubsub.projectId,
    apiEndpoint: stack().pubsub.emulatorHost,
    emulatorMode: true,
  });
  await pubsub.createTopic(topic);
  // A pushed model in a serving root of its own: LATEST → v1 with one file.
  const store = new ObjectStore({ projectId: stack().pubsub.projectId, endpoint: stack().gcs.endpoint });
  await store.write(`${servingRoot}/penguins/v1/model.json`, '{"modelTopology": {}}', 'application/json');
  await store.write(
    `${servingRoot}/penguins/LATEST`,
    JSON.stringify({ version: 'v1', uri: `${servingRoot}/penguins/v1`, pushedAt: new Date().toISOString() }),
    'application/json',
  );
  await promisify(execFile)('git', ['init', '--bare', '-q', join(scratch, 'hooked.git')]);
  finished = await conveyorJson(['run', '--spec', SLEEP_SPEC, '--param', 'seconds=1', '--wait']);
  sleeping = await conveyorJson(['run', '--spec', SLEEP_SPEC, '--param', 'seconds=600']);
}, 180_000);

afterAll(async () => {
  await client?.schedule
    .getHandle(scheduleId)
    .delete()
    .catch(() => undefined);
  await client?.workflow
    .getHandle(sleeping?.runId ?? 'none')
    .cancel()
    .catch(() => undefined);
  await pubsub
    ?.topic(topic)
    .delete()
    .catch(() => undefined);
  await pubsub?.close();
  await worker?.stop();
  await connection?.close();
  rmSync(scratch, { recursive: true, force: true });
});

/** One `-o json` invocation per leaf command, in an order where each finds what it needs. */
function jsonCases(): [string, string[], Record<string, string>?][] {
  const sched = ['-s', scheduleId];
  return [
    ['stack up', []],
    ['stack status', []],
    // An empty data directory: nothing of ours runs there, so nothing is stopped.
    ['stack down', [], { CONVEYOR_DATA_DIR: join(scratch, 'no-stack') }],
    ['doctor', []],
    ['compile', ['penguins', '--image', 'local/penguins:dev']],
    [
      'schedule create',
      [...sched, '--interval', '1h', '--paused', '--task-queue', taskQueue, '--param', 'num_epochs=2'],
    ],
    ['schedule list', []],
    ['schedule describe', sched],
    ['schedule update', [...sched, '--notes', 'json']],
    ['schedule unpause', sched],
    ['schedule pause', sched],
    ['schedule trigger', sched],
    [
      'schedule backfill',
      [...sched, '--start-time', '2026-01-01T00:00:00Z', '--end-time', '2026-01-01T01:00:00Z'],
    ],
    ['schedule delete', sched],
    ['publish', ['{"num_epochs": 3}', '--topic', topic, '--attr', 'runKey=json']],
    ['run', ['--spec', SLEEP_SPEC, '--param', 'seconds=1']],
    ['sweep', ['--pipeline', 'penguins', '--grid', 'num_epochs=1,2']],
    ['runs list', ['--limit', '5']],
    ['runs show', [finished.runId]],
    ['runs watch', [finished.runId]],
    ['runs logs', [finished.runId, '--task', 'sleep']],
    ['runs cancel', [sleeping.runId]],
    ['runs cleanup', ['--dry-run']],
    ['models list', ['--serving-root', servingRoot]],
    ['models pull', ['--serving-root', servingRoot, '--out', join(scratch, 'model')]],
    ['completion', ['bash']],
    [
      'hook install',
      ['--repo', join(scratch, 'hooked.git'), '--url', 'http://127.0.0.1:9/webhooks/github'],
      { CONVEYOR_GITHUB_WEBHOOK_SECRET: 'conventions-test-secret-0123' },
    ],
  ];
}

describe('-o json on every command', () => {
  it('each command prints one JSON document on stdout and nothing else', { timeout: 600_000 }, async () => {
    const cases = jsonCases();
    // `demo -o json` starts a stack of its own: tests/demo.test.ts runs it.
    const covered = new Set([...cases.map(([path]) => path), 'demo']);
    expect(leaves(await buildProgram()).filter((path) => !covered.has(path))).toEqual([]);
    // Only the schedule commands depend on each other (create before describe, …): they run in
    // order as one chain; every other command is a chain of its own. Four chains at a time.
    const chains = [
      cases.filter(([path]) => path.startsWith('schedule ')),
      ...cases.filter(([path]) => !path.startsWith('schedule ')).map((c) => [c]),
    ];
    const runChain = async (chain: typeof cases) => {
      for (const [path, args, extra] of chain) {
        const r = await conveyorRaw([...path.split(' '), ...args, '-o', 'json'], {
          extra: { CONVEYOR_REPO_URL: repoRoot, ...extra },
          timeoutMs: 120_000,
        });
        expect({ path, code: r.code, stderr: r.code === 0 ? '' : r.stderr }).toEqual({
          path,
          code: 0,
          stderr: '',
        });
        expect(() => JSON.parse(r.stdout), `${path}: ${r.stdout.slice(0, 200)}`).not.toThrow();
        // No "conveyor → target" line in JSON mode.
        expect(r.stderr).not.toContain('conveyor →');
      }
    };
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let chain = chains.shift(); chain; chain = chains.shift()) await runChain(chain);
      }),
    );
  });

  it('-o jsonl prints one compact JSON value per line; the old --json still works', async () => {
    const lines = (await conveyorRaw(['runs', 'list', '--limit', '3', '-o', 'jsonl'])).stdout
      .trim()
      .split('\n');
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(JSON.parse(line)).toHaveProperty('runId');
    const old = await conveyorRaw(['runs', 'show', finished.runId, '--json']);
    expect(JSON.parse(old.stdout)).toMatchObject({ runId: finished.runId, status: 'COMPLETED' });
  });

  it('models pull without --version takes the version LATEST names', async () => {
    const pulled = await conveyorJson<PulledModel>([
      'models',
      'pull',
      '--serving-root',
      servingRoot,
      '--out',
      join(scratch, 'latest-model'),
    ]);
    expect(pulled).toMatchObject({ pipeline: 'penguins', version: 'v1', uri: `${servingRoot}/penguins/v1` });
    expect(pulled.files).toEqual(['model.json']);
  });

  it('text mode names the target on stderr, one line', async () => {
    const r = await conveyorRaw(['runs', 'list', '--limit', '1']);
    const s = stack();
    expect(r.stderr.trim()).toBe(
      `conveyor → local: Temporal ${s.temporal.address} (namespace ${s.temporal.namespace}) · Google project ${s.pubsub.projectId} (emulators)`,
    );
  });
});

describe('exit codes', () => {
  it.each([
    ['0 ok', 0, ['runs', 'list', '--limit', '1'], {}],
    ['1 usage: an unknown pipeline', 1, ['run', '--pipeline', 'nope'], {}],
    ['1 usage: an unknown flag', 1, ['runs', 'list', '--colour', 'red'], {}],
    ['1 usage: an unknown run', 1, ['runs', 'show', 'no-such-run-id'], {}],
    ['3 unhealthy: Temporal does not answer', 3, ['runs', 'list', '--address', '127.0.0.1:1'], {}],
    ['78 config: a bad CONVEYOR_TARGET', 78, ['runs', 'list'], { CONVEYOR_TARGET: 'nowhere' }],
  ] as const)(
    '%s, the same in text and JSON modes',
    { timeout: 60_000 },
    async (_name, code, args, extra) => {
      // Both modes side by side: an unreachable Temporal costs the client's whole connect deadline.
      await Promise.all(
        [[], ['-o', 'json']].map(async (mode) => {
          const r = await conveyorRaw([...args, ...mode], { extra });
          expect({ mode, code: r.code }).toEqual({ mode, code });
          if (mode.length && code !== 0 && !(args as readonly string[]).includes('--colour'))
            expect(JSON.parse(r.stdout)).toMatchObject({ error: { exitCode: code } });
        }),
      );
    },
  );

  it('2 a failed run and 4 a cancelled one, in text and JSON modes', { timeout: 180_000 }, async () => {
    await Promise.all(
      [[], ['-o', 'json']].map(async (mode) => {
        // The spec's default `dest` is outside the buckets the worker allows: the run fails.
        const failed = await conveyorRaw(['run', '--spec', KFP, '--wait', ...mode], {
          extra: { CONVEYOR_REPO_URL: repoRoot },
        });
        expect(failed.code).toBe(2);
        const run = await conveyorJson<StartedRun>(['run', '--spec', SLEEP_SPEC, '--param', 'seconds=600']);
        const cancelled = await conveyorRaw(['runs', 'cancel', run.runId, '--wait', ...mode]);
        expect(cancelled.code).toBe(4);
        expect(cancelled.stdout).toContain('CANCELLED');
      }),
    );
  });
});

describe('--version and completion', () => {
  it('--version prints the package version', async () => {
    for (const flag of ['--version', '-V']) {
      const r = await conveyorRaw([flag]);
      expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 0, stdout: `${version}\n` });
    }
  });

  /** Runs a shell script; resolves with its stdout. */
  function shell(cmd: string, script: string): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile(
        cmd,
        ['-c', script],
        { cwd: repoRoot, env: { ...process.env }, timeout: 60_000 },
        (e, stdout, stderr) =>
          resolve({ code: e ? (typeof e.code === 'number' ? e.code : 1) : 0, stdout, stderr }),
      );
    });
  }

  it('bash completion lists subcommands, their options and option values', async () => {
    const script = (await conveyorRaw(['completion', 'bash'])).stdout;
    const file = join(scratch, 'conveyor.bash');
    writeFileSync(file, script);
    const complete = (words: string) =>
      `COMP_WORDS=(${words}); COMP_CWORD=$((\${#COMP_WORDS[@]} - 1)); _conveyor; echo "\${COMPREPLY[*]}"`;
    const r = await shell(
      'bash',
      [
        `source ${file}`,
        complete('conveyor ""'),
        complete('conveyor runs ""'),
        complete('conveyor runs list --st'),
        complete('conveyor runs list -o ""'),
        complete('conveyor schedule create --overl'),
      ].join('\n'),
    );
    expect(r.stderr).toBe('');
    const [root, runs, status, output, overlap] = r.stdout.trim().split('\n');
    expect(root?.split(' ')).toEqual(
      expect.arrayContaining([
        'stack',
        'doctor',
        'run',
        'sweep',
        'runs',
        'schedule',
        'models',
        'completion',
        '--version',
      ]),
    );
    expect(runs?.split(' ')).toEqual(
      expect.arrayContaining(['list', 'show', 'watch', 'cancel', 'logs', 'cleanup']),
    );
    expect(status).toBe('--status');
    expect(output).toBe('text json jsonl');
    expect(overlap).toBe('--overlap-policy');
  });

  it('zsh completion offers the same words', async (ctx) => {
    const zsh = await shell('bash', 'command -v zsh');
    if (zsh.code !== 0) {
      console.warn('zsh is not installed: the zsh completion script is not run here');
      ctx.skip();
    }
    const file = join(scratch, 'conveyor.zsh');
    writeFileSync(file, (await conveyorRaw(['completion', 'zsh'])).stdout);
    const r = await shell(
      'zsh',
      `autoload -U compinit && compinit -u; source ${file}; compadd() { shift; print -r -- "$@"; }
words=(conveyor runs ""); CURRENT=3; _conveyor`,
    );
    expect(r.stdout.trim().split(' ')).toEqual(expect.arrayContaining(['list', 'show', 'cleanup', '--help']));
  });
});
