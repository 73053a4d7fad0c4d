/** Ids for tasks/executions, the fake project number, and the log copy in GCS. */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { GcsClient } from '../context.ts';
import { parseGcsUri } from './gcs-mount.ts';

// Large, increasing, unique within a process and across restarts (time-based seed), like Vertex's int64 ids.
let counter = Date.now() * 1000;

/** A new task / execution id (decimal string, int64 range). */
export function newExecutionId(): string {
  counter += 1;
  return String(counter);
}

/**
 * The project number Vertex puts into output paths. Real projects have one; here a numeric project id
 * is used as it is and a named one is hashed into a stable 12-digit number.
 */
export function projectNumber(project: string): string {
  if (/^\d+$/.test(project)) return project;
  const hash = createHash('sha256').update(project).digest();
  return String(
    100_000_000_000 + ((hash.readUInt32BE(0) * 1000 + (hash.readUInt16BE(4) % 1000)) % 900_000_000_000),
  );
}

/** Uploads a local log file to its gs:// URI. */
export async function gcsCopyOfLog(gcs: GcsClient, path: string, uri: string): Promise<void> {
  const target = parseGcsUri(uri);
  if (!target) return;
  await gcs.writeObject(target.bucket, target.name, await readFile(path), 'text/plain');
}
