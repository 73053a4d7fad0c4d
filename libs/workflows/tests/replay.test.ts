import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const dir = join(dirname(fileURLToPath(import.meta.url)), 'histories');
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();

describe('recorded trainingRun histories replay deterministically', () => {
  it('has histories for success, failures and cancellations', () => {
    expect(files).toEqual(expect.arrayContaining(['succeeded.json', 'build-failed.json', 'pipeline-failed.json', 'cancelled-during-build.json']));
  });

  it('replays every recorded history against the current workflow code', { timeout: 120_000 }, async () => {
    const histories = files.map((file) => ({
      workflowId: file.replace(/\.json$/, ''),
      history: historyFromJSON(JSON.parse(readFileSync(join(dir, file), 'utf8'))),
    }));
    const failures: string[] = [];
    for await (const result of Worker.runReplayHistories({ workflowsPath: require.resolve('@conveyor/workflows') }, histories)) {
      if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
    }
    expect(failures).toEqual([]);
  });
});
