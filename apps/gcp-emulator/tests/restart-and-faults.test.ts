import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDefaultBackoffSettings, createRetryOptions } from 'google-gax';
import { afterEach, describe, expect, it } from 'vitest';
import { runBuild, startTestEmulator, type TestEmulator } from './harness.ts';

describe('Cloud Build emulator: restart and fault injection', () => {
  const started: TestEmulator[] = [];
  afterEach(async () => {
    for (const t of started.splice(0)) await t.stop();
  });

  it('keeps finished builds across a restart when persisting', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'gcp-emulator-restart-'));
    try {
      const first = await startTestEmulator({ dataDir, persist: true });
      const ok = await runBuild(first.client, {
        tags: ['restart'],
        steps: [{ name: 'bash', args: ['-c', 'true'] }],
      });
      const bad = await runBuild(first.client, {
        tags: ['restart'],
        steps: [{ name: 'bash', id: 'boom', args: ['-c', 'exit 1'] }],
      });
      await first.stop(true);

      const second = await startTestEmulator({ dataDir, persist: true });
      started.push(second);
      const [okAgain] = await second.client.getBuild({ projectId: 'test-project', id: ok.build.id ?? '' });
      expect(okAgain.status).toBe('SUCCESS');
      expect(okAgain.finishTime).toEqual(ok.build.finishTime);
      const [badAgain] = await second.client.getBuild({ projectId: 'test-project', id: bad.build.id ?? '' });
      expect(badAgain.status).toBe('FAILURE');
      expect(badAgain.statusDetail).toContain('"boom"');
      const [listed] = await second.client.listBuilds(
        { projectId: 'test-project', filter: 'tags="restart"' },
        { autoPaginate: false },
      );
      expect(listed.map((b) => b.id)).toEqual([bad.build.id, ok.build.id]);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('forgets builds across a restart when not persisting', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'gcp-emulator-restart-'));
    try {
      const first = await startTestEmulator({ dataDir });
      const ok = await runBuild(first.client, { steps: [{ name: 'bash', args: ['-c', 'true'] }] });
      await first.stop(true);
      const second = await startTestEmulator({ dataDir });
      started.push(second);
      await expect(
        second.client.getBuild({ projectId: 'test-project', id: ok.build.id ?? '' }),
      ).rejects.toMatchObject({ code: 5 });
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('delivers an injected UNAVAILABLE to the client, configured at start and changed at run time', async () => {
    const t = await startTestEmulator({
      faults: { 'CloudBuild/CreateBuild': { code: 'UNAVAILABLE', probability: 1 } },
    });
    started.push(t);
    const build = { steps: [{ name: 'bash', args: ['-c', 'true'] }] };
    await expect(t.client.createBuild({ projectId: 'test-project', build })).rejects.toMatchObject({
      code: 14,
    });

    // Run-time change through the admin endpoint: GetBuild fails (no retries), CreateBuild works again.
    const admin = `http://127.0.0.1:${t.emulator.adminPort}/faults`;
    const put = await fetch(admin, {
      method: 'PUT',
      body: JSON.stringify({ 'CloudBuild/GetBuild': { code: 'UNAVAILABLE', message: 'flaky' } }),
    });
    expect(put.status).toBe(200);
    const [operation] = await t.client.createBuild({ projectId: 'test-project', build });
    await expect(
      t.client.getBuild(
        { projectId: 'test-project', id: 'x' },
        { retry: createRetryOptions([], createDefaultBackoffSettings()) },
      ),
    ).rejects.toMatchObject({
      code: 14,
      message: expect.stringContaining('flaky'),
    });
    // Latency only on the Operations service: the LRO still completes, just later.
    t.emulator.context.faults.set({ 'Operations/*': { delayMs: 300 } });
    const t0 = Date.now();
    await operation.promise();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(300);

    const bad = await fetch(admin, { method: 'PUT', body: JSON.stringify({ '*': { code: 'NOT_A_CODE' } }) });
    expect(bad.status).toBe(400);
    expect(await (await fetch(admin)).json()).toEqual({ 'Operations/*': { delayMs: 300 } });
  });
});
