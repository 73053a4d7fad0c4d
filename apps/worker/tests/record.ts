// Records finished runs' histories into libs/workflows/tests/histories/ when CONVEYOR_RECORD_HISTORIES=1,
// for the replay test there (a non-deterministic change to the workflow then fails CI).
import { mkdirSync, writeFileSync } from 'node:fs';
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

/** Saves the handle's history as `<name>.json` when recording is on. */
export async function recordHistory(handle: WorkflowHandle, name: string): Promise<void> {
  if (process.env['CONVEYOR_RECORD_HISTORIES'] !== '1') return;
  mkdirSync(historiesDir, { recursive: true });
  writeFileSync(join(historiesDir, `${name}.json`), historyToJSON(await handle.fetchHistory()));
}
