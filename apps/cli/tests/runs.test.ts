// `conveyor run`, `runs list|logs` and `models` on the local stack's worker: a kfp-compiled spec from
// a local file, a forced rebuild of the penguins image, build and task logs, and the pushed models.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrainingRunResult } from '@conveyor/contracts';
import { ObjectStore } from '@conveyor/gcp';
import type { RunRow } from '../src/runs/list.ts';
import type { RunLog } from '../src/runs/logs.ts';
import type { ModelList, PulledModel } from '../src/models/serving.ts';
import { conveyorJson, conveyorRaw, repoRoot, stack } from './support.ts';

const KFP = join(repoRoot, 'apps', 'gcp-emulator', 'tests', 'fixtures', 'kfp', 'containers.json');
/** The local worker's pipeline root (GOOGLE_CLOUD_PROJECT conveyor-local): every spec it allows lives there. */
const BUCKET = 'conveyor-local-conveyor';

interface Outcome {
  runId: string;
  status: string;
  result: TrainingRunResult;
  error?: string;
  type?: string;
}

const out = mkdtempSync(join(tmpdir(), 'conveyor-cli-runs-'));
let store: ObjectStore;
beforeAll(() => {
  store = new ObjectStore({ projectId: stack().pubsub.projectId, endpoint: stack().gcs.endpoint });
});
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('conveyor run --spec <file>', () => {
  it(
    'uploads a kfp-compiled spec content-addressed to the pipeline root and follows its run',
    { timeout: 300_000 },
    async () => {
      const unique = `cli${Date.now()}`;
      const dest = `gs://${BUCKET}/cli-tests/${unique}/copy.txt`;
      // A text of its own: tasks with inputs seen before are served from the emulator's cache (SKIPPED, no log).
      const run = await conveyorJson<Outcome>([
        'run',
        '--spec',
        KFP,
        '--param',
        `dest=${dest}`,
        '--param',
        `text=${unique}`,
        '--wait',
      ]);
      expect(run.status).toBe('COMPLETED');
      const { sha256 } = await import('node:crypto').then((c) => ({
        sha256: c.createHash('sha256').update(readFileSync(KFP)).digest('hex'),
      }));
      // The file's own bytes, named by their sha256 where the worker puts the specs it compiles.
      expect(run.result.spec).toEqual({ uri: `gs://${BUCKET}/pipeline-root/specs/${sha256}.json`, sha256 });
      expect(run.result.pipeline).toBe('kfp-containers');
      expect(run.result.parameters).toMatchObject({ dest, text: unique, x: 7 });
      expect(run.result.tasks).toHaveLength(6);
      expect(run.result.tasks.every((t) => ['SUCCEEDED', 'SKIPPED'].includes(t.state))).toBe(true);
      expect(run.result.tasks.find((t) => t.name === 'bash-upper')?.state).toBe('SUCCEEDED');
      expect((await store.read(dest)).toString()).toContain(unique);

      // The task's log, as the emulator kept it next to the task's outputs.
      const log = await conveyorJson<RunLog>(['runs', 'logs', run.runId, '--task', 'bash-upper']);
      expect(log).toMatchObject({ kind: 'task', name: 'bash-upper', links: [] });
      expect(log.source).toMatch(/\/bash-upper_\d+\/task\.log$/);
      expect(log.text).toContain('[emulator] process exited with code 0');
      const noBuild = await conveyorRaw(['runs', 'logs', run.runId]);
      expect(noBuild.code).toBe(1);
      expect(noBuild.stderr).toMatch(/no build log: it submitted a precompiled spec; give --task/);
    },
  );

  it('types the parameters by the spec before uploading anything, naming them (exit 1)', async () => {
    const r = await conveyorRaw(['run', '--spec', KFP, '--param', 'x=1.5', '--param', 'colour=red']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/x: expected an integer/);
    expect(r.stderr).toMatch(/colour: unknown parameter/);
  });

  it('refuses a file that is no pipeline spec (exit 1)', async () => {
    const r = await conveyorRaw(['run', '--spec', join(repoRoot, 'package.json')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/conveyor: .*(pipeline|PipelineSpec|schemaVersion)/i);
  });

  it('a run the worker refuses ends FAILED, exit 2 (text and JSON alike)', { timeout: 120_000 }, async () => {
    // The spec's default `dest` is a bucket the worker does not allow: the run fails in its first step.
    for (const mode of [[], ['-o', 'json']]) {
      const r = await conveyorRaw(['run', '--spec', KFP, '--wait', ...mode], {
        extra: { CONVEYOR_REPO_URL: repoRoot },
      });
      expect(r.code).toBe(2);
      expect(r.stdout).toMatch(/outside the allowed locations/);
    }
  });
});

describe('conveyor run --rebuild and runs logs', () => {
  it(
    '--rebuild builds a new image for a commit that has one; its log is the build log',
    { timeout: 600_000 },
    async () => {
      const args = ['run', '--pipeline', 'penguins', '--param', 'num_epochs=1', '--wait'];
      const first = await conveyorJson<Outcome>(args, {}, 580_000);
      const rebuilt = await conveyorJson<Outcome>([...args, '--rebuild'], {}, 580_000);
      expect(first.status).toBe('COMPLETED');
      expect(rebuilt.status).toBe('COMPLETED');
      expect(rebuilt.result.commit).toBe(first.result.commit);
      expect(rebuilt.result.build?.reused).not.toBe(true);
      expect(rebuilt.result.build?.id).not.toBe(first.result.build?.id);

      const log = await conveyorJson<RunLog>(['runs', 'logs', rebuilt.runId]);
      expect(log).toMatchObject({ kind: 'build', name: rebuilt.result.build?.id, links: [] });
      expect(log.text).toMatch(/Step #\d+ - "Build Penguins Image"/);
      const text = await conveyorRaw(['runs', 'logs', rebuilt.runId, '--task', 'trainer']);
      expect(text.code).toBe(0);
      expect(text.stdout).toMatch(/\[trainer\] trained 1 epochs/);
      const bad = await conveyorRaw(['runs', 'logs', rebuilt.runId, '--task', 'nope']);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toMatch(/--task: 'nope' is not a task of .*; its tasks: .*trainer/);

      // runs list: the status names it prints filter it; it shows parameters, the key metric, duration.
      const rows = await conveyorJson<RunRow[]>([
        'runs',
        'list',
        '--pipeline',
        'penguins',
        '--status',
        'COMPLETED',
        '--limit',
        '50',
      ]);
      const row = rows.find((r) => r.runId === rebuilt.runId);
      expect(row).toMatchObject({ status: 'COMPLETED', trigger: 'manual', parameters: { num_epochs: 1 } });
      expect(row?.metric).toEqual({ name: 'accuracy', value: rebuilt.result.metrics['accuracy'] });
      expect(row?.durationMs).toBeGreaterThan(0);
      expect(rows.every((r) => r.status === 'COMPLETED')).toBe(true);
      const table = await conveyorRaw(['runs', 'list', '--status', 'completed', '--limit', '50']);
      expect(table.stdout).toMatch(
        new RegExp(`^${rebuilt.runId}\\s+COMPLETED\\s+manual\\s+num_epochs=1\\s+accuracy=`, 'm'),
      );
      const badStatus = await conveyorRaw(['runs', 'list', '--status', 'Done']);
      expect(badStatus.code).toBe(1);
      expect(badStatus.stderr).toMatch(
        /--status: 'Done' is not one of RUNNING, COMPLETED, FAILED, CANCELLED/,
      );
    },
  );
});

describe('conveyor models', () => {
  it(
    'lists the pushed versions, pulls a named one and the one LATEST points at',
    { timeout: 300_000 },
    async () => {
      const run = await conveyorJson<Outcome>(
        ['run', '--pipeline', 'penguins', '--param', 'num_epochs=2', '--wait'],
        {},
        280_000,
      );
      expect(run.result.modelUri).toBeTruthy();
      // Other test files (sweeps) promote models into the same serving root at the same time, so LATEST
      // may move on: this run's version is found by its URI, and LATEST is checked to be one listed version.
      const list = await conveyorJson<ModelList>(['models', 'list']);
      expect(list.root).toBe(`gs://${BUCKET}/serving/penguins`);
      const mine = list.versions.find((v) => v.uri === run.result.modelUri);
      expect(mine?.files).toBeGreaterThan(0);
      expect(list.versions.filter((v) => v.latest).map((v) => v.uri)).toEqual([list.latest?.uri]);

      const dir = join(out, 'model');
      const pulled = await conveyorJson<PulledModel>([
        'models',
        'pull',
        '--version',
        mine?.version ?? '',
        '--out',
        dir,
      ]);
      expect(pulled).toMatchObject({ pipeline: 'penguins', version: mine?.version, dir });
      expect(pulled.files).toContain('model.json');
      const modelJson = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as {
        modelTopology?: unknown;
      };
      expect(modelJson.modelTopology).toBeDefined();

      // Without --version: the version LATEST names (read again after the pull, as it may have moved).
      const served = await conveyorJson<PulledModel>(['models', 'pull', '--out', join(out, 'served')]);
      const after = await conveyorJson<ModelList>(['models', 'list']);
      expect(after.versions.find((v) => v.version === served.version)?.uri).toBe(served.uri);
      expect(served.files).toContain('model.json');

      const missing = await conveyorRaw([
        'models',
        'pull',
        '--version',
        'no-such-version',
        '--out',
        join(out, 'x'),
      ]);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toMatch(/no model version 'no-such-version'/);
    },
  );
});
