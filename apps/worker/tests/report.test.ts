// The run report: every successful run stores report.html / report.md next to its job's artifacts,
// a report that cannot be written leaves the run successful, and `conveyor runs show --open` finds it.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoreApi } from '@conveyor/activities';
import { Queries, type RunStatus, type TrainingRunResult } from '@conveyor/contracts';
import { GcpError } from '@conveyor/gcp';
import { startHarness, WEB_UI, type Harness } from './harness.ts';
import { repoPath } from '@conveyor/platform/repo-root';

const exec = promisify(execFile);
const cli = repoPath('apps', 'cli', 'src', 'main.ts');

/** The `points` of the plot's polyline for a series, as [x, y] pairs. */
function series(html: string, name: string): string[] {
  const match = new RegExp(`<polyline[^>]*data-series="${name}"[^>]*points="([^"]*)"`).exec(html);
  return match?.[1]?.trim().split(/\s+/).filter(Boolean) ?? [];
}

describe('run report', () => {
  let h: Harness;
  let result: TrainingRunResult;
  const dataDir = mkdtempSync(join(tmpdir(), 'conveyor-report-data-'));
  beforeAll(async () => {
    h = await startHarness();
    await h.startWorker();
    result = await (await h.start({ parameters: { num_epochs: '5' } })).result();
  }, 120_000);
  afterAll(async () => {
    await h?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a finished run stores report.html with its id, parameters and a loss/accuracy plot', async () => {
    const jobDir = `${h.pipelineRoot}/runs/${result.pipelineJob.split('/').pop()}`;
    expect(result.report).toEqual({ htmlUri: `${jobDir}/report.html`, markdownUri: `${jobDir}/report.md` });
    expect(Object.keys(result.timings)).toContain('reporting');
    const html = (await h.store.read(`${jobDir}/report.html`)).toString('utf8');
    expect(html).toContain(result.runId);
    expect(html).toMatch(/num_epochs[\s\S]{0,200}>5</);
    expect(html).toContain(`${WEB_UI}/namespaces/`);
    expect(html).toContain('<svg');
    // One polyline per series, one point per epoch the trainer recorded.
    expect(series(html, 'loss')).toHaveLength(5);
    expect(series(html, 'accuracy')).toHaveLength(5);
    const markdown = (await h.store.read(`${jobDir}/report.md`)).toString('utf8');
    expect(markdown).toContain(result.runId);
    expect(markdown).toContain('num_epochs');
  });

  it(
    'conveyor runs show --open prints the gs:// URI and a local copy; --json carries the URIs',
    { timeout: 60_000 },
    async () => {
      // An explicit target: the data directory is a fresh one, where no stack runs to make local the default.
      const env = { ...process.env, ...h.workerEnv(), CONVEYOR_DATA_DIR: dataDir, CONVEYOR_TARGET: 'local' };
      const shown = await exec(process.execPath, [cli, 'runs', 'show', result.runId, '--open'], {
        env,
        timeout: 45_000,
      });
      const local = join(dataDir, 'reports', result.runId, 'report.html');
      expect(shown.stdout).toContain(result.report?.htmlUri);
      expect(shown.stdout).toContain(local);
      expect(readFileSync(local, 'utf8')).toBe(
        (await h.store.read(result.report?.htmlUri ?? '')).toString('utf8'),
      );
      const json = await exec(process.execPath, [cli, 'runs', 'show', result.runId, '--json', '--open'], {
        env,
        timeout: 45_000,
      });
      const printed = JSON.parse(json.stdout) as { result: TrainingRunResult; reportPath?: string };
      expect(printed.result.report).toEqual(result.report);
      expect(printed.reportPath).toBe(local);
    },
  );

  it(
    'a report that cannot be written leaves the run successful, without a report',
    { timeout: 90_000 },
    async () => {
      await h.stopWorker();
      const denying: StoreApi = {
        read: (uri) => h.store.read(uri),
        write: (uri, contents, contentType) => h.store.write(uri, contents, contentType),
        list: (prefix) => h.store.list(prefix),
        copy: (from, to) => h.store.copy(from, to),
        async writeIfAbsent(uri, contents, contentType) {
          if (/\/report\.(html|md)$/.test(uri))
            throw new GcpError(
              'Storage.save',
              'permission-denied',
              '403',
              `no write access to ${uri}`,
              undefined,
            );
          return h.store.writeIfAbsent(uri, contents, contentType);
        },
      };
      await h.startWorker({ store: denying });
      const handle = await h.start({ parameters: { num_epochs: '2' } });
      const denied = await handle.result();
      expect(denied.state).toBe('PIPELINE_STATE_SUCCEEDED');
      expect(denied.report).toBeUndefined();
      expect(denied.metrics['accuracy']).toBeCloseTo(0.6);
      const status: RunStatus = await handle.query(Queries.status);
      expect(status.stage).toBe('succeeded');
    },
  );
});
