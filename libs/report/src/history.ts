import type { EpochPoint } from './types.ts';

function finite(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function numberArray(value: unknown): (number | undefined)[] | undefined {
  return Array.isArray(value) ? value.map(finite) : undefined;
}

/**
 * Per-epoch history from a Model artifact's metadata, as the trainer writes it (Keras style):
 * `loss[]`, `accuracy[]` (or `acc[]`), optionally `val_loss[]`, `val_accuracy[]`. Epochs count from 1.
 * Returns [] when the metadata holds no history.
 */
export function historyFromMetadata(metadata: Record<string, unknown>): EpochPoint[] {
  const loss = numberArray(metadata['loss']);
  const accuracy = numberArray(metadata['accuracy'] ?? metadata['acc']);
  if (!loss || !accuracy) return [];
  const valLoss = numberArray(metadata['val_loss']);
  const valAccuracy = numberArray(metadata['val_accuracy'] ?? metadata['val_acc']);
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
 * Per-epoch history from the trainer's `history.json`: an array of
 * `{epoch, loss, accuracy, val_loss?, val_accuracy?}` (camelCase accepted too).
 * @throws SyntaxError when the text is not JSON; entries without numeric loss/accuracy are skipped.
 */
export function parseHistoryJson(text: string): EpochPoint[] {
  const parsed: unknown = JSON.parse(text);
  if (!Array.isArray(parsed)) return [];
  return parsed.flatMap((entry: unknown, i): EpochPoint[] => {
    if (typeof entry !== 'object' || entry === null) return [];
    const e = entry as Record<string, unknown>;
    const loss = finite(e['loss']);
    const accuracy = finite(e['accuracy'] ?? e['acc']);
    if (loss === undefined || accuracy === undefined) return [];
    return [
      {
        epoch: finite(e['epoch']) ?? i + 1,
        loss,
        accuracy,
        valLoss: finite(e['val_loss'] ?? e['valLoss']),
        valAccuracy: finite(e['val_accuracy'] ?? e['valAccuracy']),
      },
    ];
  });
}
