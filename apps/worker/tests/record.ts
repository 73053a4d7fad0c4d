// Records finished runs' histories into libs/workflows/tests/histories/ when CONVEYOR_RECORD_HISTORIES=1,
// for the replay test there (a non-deterministic change to the workflow then fails CI).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';

/** Where recorded histories live (the replay tests read them). */
export const historiesDir = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  'libs',
  'workflows',
  'tests',
  'histories',
);

/**
 * `workflow-ids.json` beside the histories: each history's workflow id. Replay must use it, since
 * workflows derive ids from their own (a sweep names its trials `<sweep id>-trial-<n>`).
 */
export const workflowIdsFile = join(historiesDir, 'workflow-ids.json');

/** Saves the handle's history as `<name>.json` (and its workflow id) when recording is on. */
export async function recordHistory(handle: WorkflowHandle, name: string): Promise<void> {
  if (process.env['CONVEYOR_RECORD_HISTORIES'] !== '1') return;
  mkdirSync(historiesDir, { recursive: true });
  writeFileSync(join(historiesDir, `${name}.json`), historyToJSON(await handle.fetchHistory()));
  const ids = existsSync(workflowIdsFile)
    ? (JSON.parse(readFileSync(workflowIdsFile, 'utf8')) as Record<string, string>)
    : {};
  ids[name] = handle.workflowId;
  const sorted = Object.fromEntries(Object.entries(ids).sort(([a], [b]) => a.localeCompare(b)));
  writeFileSync(workflowIdsFile, `${JSON.stringify(sorted, null, 2)}\n`);
}
