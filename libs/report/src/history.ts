import { kerasCurveKeys, type CurveKeys } from '@conveyor/pipeline';
import type { EpochPoint } from './types.ts';

function finite(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function numberArray(value: unknown): (number | undefined)[] | undefined {
  return Array.isArray(value) ? value.map(finite) : undefined;
}

/** The value under the first of `names` that is present. */
function first(record: Record<string, unknown>, names: readonly string[] | undefined): unknown {
  for (const name of names ?? [])
    if (record[name] !== undefined && record[name] !== null) return record[name];
  return undefined;
}

/**
 * Per-epoch history from an artifact's metadata: arrays indexed by epoch under the names `keys`
 * declares (by default Keras': `loss[]`, `accuracy[]` or `acc[]`, optionally `val_loss[]`,
 * `val_accuracy[]`). Epochs count from 1. Returns [] when the metadata holds no history.
 */
export function historyFromMetadata(
  metadata: Record<string, unknown>,
  keys: CurveKeys = kerasCurveKeys,
): EpochPoint[] {
  const loss = numberArray(first(metadata, keys.loss));
  const accuracy = numberArray(first(metadata, keys.accuracy));
  if (!loss || !accuracy) return [];
  const valLoss = numberArray(first(metadata, keys.valLoss));
  const valAccuracy = numberArray(first(metadata, keys.valAccuracy));
  const epochs = Math.min(loss.length, accuracy.length);
  const points: EpochPoint[] = [];
  for (let i = 0; i < epochs; i++) {
    points.push({
      epoch: i + 1,
      loss: loss[i] ?? Number.NaN,
      accuracy: accuracy[i] ?? Number.NaN,
      valLoss: valLoss?.[i],
      valAccuracy: valAccuracy?.[i],
    });
  }
  return points;
}

/**
 * Per-epoch history from a history file: a JSON array of one object per epoch with `epoch` and the
 * series under the names `keys` declares (by default `{epoch, loss, accuracy, val_loss?,
 * val_accuracy?}`, camelCase accepted too).
 * @throws SyntaxError when the text is not JSON; entries without numeric loss/accuracy are skipped.
 */
export function parseHistoryJson(text: string, keys: CurveKeys = kerasCurveKeys): EpochPoint[] {
  const parsed: unknown = JSON.parse(text);
  if (!Array.isArray(parsed)) return [];
  return parsed.flatMap((entry: unknown, i): EpochPoint[] => {
    if (typeof entry !== 'object' || entry === null) return [];
    const e = entry as Record<string, unknown>;
    const loss = finite(first(e, keys.loss));
    const accuracy = finite(first(e, keys.accuracy));
    if (loss === undefined || accuracy === undefined) return [];
    return [
      {
        epoch: finite(e['epoch']) ?? i + 1,
        loss,
        accuracy,
        valLoss: finite(first(e, keys.valLoss)),
        valAccuracy: finite(first(e, keys.valAccuracy)),
      },
    ];
  });
}
