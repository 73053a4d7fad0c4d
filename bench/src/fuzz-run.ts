// The fuzz run behind bench/src/fuzz.ts: generate cases from the bridge's fuzz model in batches,
// judge each, count decisions, crashes and wrong decisions, keep a few examples.
import fc from 'fast-check';
import { fuzzCase, judge, type FuzzCase } from '@conveyor/bridge/fuzz';

/** Cases generated at once: bounds memory (a case can hold a 4 KiB body and 110 attributes). */
const BATCH = 1000;

/** Examples of failures kept per kind: enough to reproduce, short enough to print. */
const MAX_EXAMPLES = 5;

/** Options of {@link runFuzz}. */
export interface FuzzOptions {
  /** Cases to try. */
  readonly cases: number;
  /** fast-check seed; the same seed tries the same cases. */
  readonly seed: number;
  /** The decoder to judge (tests pass broken ones to prove the run measures something). */
  readonly decode?: Parameters<typeof judge>[1];
}

/** A failure, small enough to print: the message's id, attributes count, body (base64, cut) and why. */
export interface FuzzExample {
  readonly why: string;
  readonly expected: string;
  readonly messageId: string;
  readonly attributes: number;
  readonly bodyBase64: string;
}

/** What a run measured (printed as JSON). */
export interface FuzzReport {
  readonly inputsTried: number;
  readonly seed: number;
  readonly elapsedMs: number;
  readonly inputsPerSecond: number;
  readonly crashes: number;
  readonly wrongDecisions: number;
  /** Decisions taken, by kind (`started`, or the dead letter's reason). */
  readonly decisions: Readonly<Record<string, number>>;
  readonly examples: readonly FuzzExample[];
}

function example(c: FuzzCase, why: string): FuzzExample {
  return {
    why,
    expected: c.expect.decision,
    messageId: c.message.id,
    attributes: Object.keys(c.message.attributes).length,
    bodyBase64: c.message.data.subarray(0, 256).toString('base64'),
  };
}

/** Runs `options.cases` generated messages through the decoder and the judge. */
export function runFuzz(options: FuzzOptions): FuzzReport {
  const started = performance.now();
  const decisions: Record<string, number> = {};
  const examples: FuzzExample[] = [];
  let crashes = 0;
  let wrong = 0;
  let tried = 0;
  for (let batch = 0; tried < options.cases; batch++) {
    const n = Math.min(BATCH, options.cases - tried);
    for (const c of fc.sample(fuzzCase(), { numRuns: n, seed: options.seed + batch })) {
      const verdict = judge(c, options.decode);
      decisions[verdict.decision] = (decisions[verdict.decision] ?? 0) + 1;
      if (verdict.crash !== undefined) crashes++;
      if (verdict.wrong !== undefined) wrong++;
      const why = verdict.crash ?? verdict.wrong;
      if (why !== undefined && examples.length < MAX_EXAMPLES) examples.push(example(c, why));
    }
    tried += n;
  }
  const elapsedMs = Math.round(performance.now() - started);
  return {
    inputsTried: tried,
    seed: options.seed,
    elapsedMs,
    inputsPerSecond: Math.round((tried / Math.max(elapsedMs, 1)) * 1000),
    crashes,
    wrongDecisions: wrong,
    decisions,
    examples,
  };
}
