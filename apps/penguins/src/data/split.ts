import type { Penguin } from './penguin.ts';
import { seededRng, shuffled } from '../model/rng.ts';

/** A train/eval split. */
export interface Split {
  /** Training examples, shuffled. */
  readonly train: Penguin[];
  /** Evaluation examples, shuffled. */
  readonly eval: Penguin[];
}

/**
 * Splits examples deterministically and stratified by species: each species contributes
 * round(n × evalFraction) examples to eval, chosen by a generator seeded with `seed`.
 * Same rows in the same order and same seed → the same split, byte for byte.
 */
export function stratifiedSplit(rows: readonly Penguin[], evalFraction: number, seed: number): Split {
  if (!(evalFraction > 0 && evalFraction < 1))
    throw new Error(`eval fraction must be in (0, 1), got ${evalFraction}`);
  const rng = seededRng(seed);
  const bySpecies = new Map<string, Penguin[]>();
  for (const row of rows) bySpecies.set(row.species, [...(bySpecies.get(row.species) ?? []), row]);
  const train: Penguin[] = [];
  const evalRows: Penguin[] = [];
  for (const species of [...bySpecies.keys()].sort()) {
    const group = shuffled(bySpecies.get(species) ?? [], rng);
    const nEval = Math.round(group.length * evalFraction);
    evalRows.push(...group.slice(0, nEval));
    train.push(...group.slice(nEval));
  }
  return { train: shuffled(train, rng), eval: shuffled(evalRows, rng) };
}
