import { createHash } from 'node:crypto';

/** Longest workflow id we produce; the server's default limit is 1000 bytes, ids stay readable well below. */
const MAX_ID_LENGTH = 200;

/**
 * The run's workflow id for a message: `<pipeline>-<runKey or messageId>`. Characters outside
 * `[A-Za-z0-9._:@-]` become `-` and over-long keys are cut; whenever the key had to be rewritten an
 * 8-hex sha256 suffix of the original keeps distinct keys distinct. Deterministic: a redelivery or a
 * second message with the same runKey maps to the same id.
 */
export function workflowIdFor(pipeline: string, key: string): string {
  const clean = key.replace(/[^A-Za-z0-9._:@-]+/g, '-');
  const id = `${pipeline}-${clean}`;
  if (clean === key && id.length <= MAX_ID_LENGTH) return id;
  const hash = createHash('sha256').update(key).digest('hex').slice(0, 8);
  return `${id.slice(0, MAX_ID_LENGTH - 9)}-${hash}`;
}
