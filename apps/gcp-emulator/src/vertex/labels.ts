/** Resource label and display-name rules Google Cloud applies to PipelineJobs (checked at create). */
import { invalidArgument } from './errors.ts';

// Keys: lowercase letter first, then lowercase letters, digits, `_`, `-` (international lowercase allowed), ≤ 63.
const KEY = /^[\p{Ll}\p{Lo}][\p{Ll}\p{Lo}\p{N}_-]{0,62}$/u;
// Values: the same characters, may be empty, ≤ 63.
const VALUE = /^[\p{Ll}\p{Lo}\p{N}_-]{0,63}$/u;
/** Google Cloud allows at most 64 labels per resource. */
const MAX_LABELS = 64;
/** Vertex rejects display names longer than 128 UTF-8 bytes. */
const MAX_DISPLAY_NAME_BYTES = 128;

/** @throws RpcError INVALID_ARGUMENT naming the offending label */
export function validateLabels(labels: Record<string, string>): void {
  const entries = Object.entries(labels);
  if (entries.length > MAX_LABELS)
    throw invalidArgument(`Too many labels: ${entries.length} (at most ${MAX_LABELS}).`);
  for (const [key, value] of entries) {
    if (!KEY.test(key)) {
      throw invalidArgument(
        `Invalid label key "${key}": keys are 1-63 lowercase letters, digits, '_' or '-', starting with a lowercase letter.`,
      );
    }
    if (!VALUE.test(value)) {
      throw invalidArgument(
        `Invalid value "${value}" of label "${key}": values are 0-63 lowercase letters, digits, '_' or '-'.`,
      );
    }
  }
}

/** @throws RpcError INVALID_ARGUMENT when longer than Vertex allows */
export function validateDisplayName(name: string): void {
  const bytes = Buffer.byteLength(name, 'utf8');
  if (bytes > MAX_DISPLAY_NAME_BYTES) {
    throw invalidArgument(
      `displayName is ${bytes} bytes long; at most ${MAX_DISPLAY_NAME_BYTES} are allowed.`,
    );
  }
}
