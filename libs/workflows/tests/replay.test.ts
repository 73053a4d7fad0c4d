import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const dir = join(dirname(fileURLToPath(import.meta.url)), 'histories');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.json') && f !== 'workflow-ids.json')
  .sort();
/** Each history's workflow id, as recorded (workflows derive ids from their own). */
const workflowIds = JSON.parse(readFileSync(join(dir, 'workflow-ids.json'), 'utf8')) as Record<
  string,
  string
>;
const workflowsPath = require.resolve('@conveyor/workflows');

/** The recorded JSON of a history file. */
function readHistory(file: string): { events: Record<string, unknown>[] } {
  return JSON.parse(readFileSync(join(dir, file), 'utf8')) as { events: Record<string, unknown>[] };
}

describe('recorded workflow histories replay deterministically', () => {
  it('has histories for success, failures and cancellations of every workflow', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'succeeded.json',
        'build-failed.json',
        'pipeline-failed.json',
        'cancelled-during-build.json',
        'image-build.json',
        'image-build-failed.json',
        'sweep.json',
        'sweep-trial.json',
      ]),
    );
  });

  it('replays every recorded history against the current workflow code', { timeout: 120_000 }, async () => {
    const histories = files.map((file) => ({
      workflowId: workflowIds[file.replace(/\.json$/, '')] ?? file.replace(/\.json$/, ''),
      history: historyFromJSON(readHistory(file)),
    }));
    const failures: string[] = [];
    for await (const result of Worker.runReplayHistories({ workflowsPath }, histories)) {
      if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
    }
    expect(failures).toEqual([]);
  });

  it(
    'fails when the code schedules other activities than the history recorded (the check bites)',
    { timeout: 120_000 },
    async () => {
      // As if the recorded run had ended with a different last activity than the code now calls.
      const recorded = readHistory('succeeded.json');
      const scheduled = recorded.events
        .map(
          (e) => e['activityTaskScheduledEventAttributes'] as { activityType: { name: string } } | undefined,
        )
        .filter((a) => a !== undefined);
      const last = scheduled.at(-1);
      expect(last?.activityType.name).toBe('writeReport');
      if (last) last.activityType.name = 'writeSummary';
      const error = await Worker.runReplayHistory(
        { workflowsPath },
        historyFromJSON(recorded),
        'succeeded-altered',
      ).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toMatch(/[Nn]ondeterminism/);
    },
  );
});
