// The figures of bench/src/worker-steps.ts. Pure, so the unit test can hold the report to its
// promise: it refuses to report steps that measured nothing.
import { NothingMeasuredError } from './stats.ts';

/** Memory after one step of the worker's composition, bytes. */
export interface MemoryStep {
  readonly name: string;
  readonly rss: number;
  /** The main thread's V8 heap in use. */
  readonly heapUsed: number;
  /** Anonymous memory (`Anonymous:` of smaps_rollup): both threads' heaps and native allocations. */
  readonly anonymous: number;
}

/** One step in MB (10⁶ bytes), with what it added to the resident set. */
export interface StepReport {
  readonly name: string;
  readonly rssMb: number;
  readonly addedRssMb: number;
  readonly heapUsedMb: number;
  readonly anonymousMb: number;
}

const mb = (bytes: number): number => Math.round(bytes / 1e6);

/**
 * A step from `process.memoryUsage()` and the text of `/proc/self/smaps_rollup`.
 * @throws NothingMeasuredError when smaps_rollup has no `Anonymous:` line
 */
export function memoryStep(
  name: string,
  usage: Pick<NodeJS.MemoryUsage, 'rss' | 'heapUsed'>,
  smapsRollup: string,
): MemoryStep {
  const anon = /^Anonymous:\s+(\d+) kB$/m.exec(smapsRollup);
  if (!anon) throw new NothingMeasuredError(`${name}: no Anonymous line in smaps_rollup`);
  return { name, rss: usage.rss, heapUsed: usage.heapUsed, anonymous: Number(anon[1]) * 1024 };
}

/** @throws NothingMeasuredError without steps, or with a step of no memory */
export function stepsReport(steps: readonly MemoryStep[]): StepReport[] {
  if (steps.length === 0 || steps.some((s) => !(s.rss > 0))) {
    throw new NothingMeasuredError(`${steps.length} steps, some empty: nothing was measured`);
  }
  return steps.map((s, i) => ({
    name: s.name,
    rssMb: mb(s.rss),
    addedRssMb: i === 0 ? mb(s.rss) : mb(s.rss) - mb(steps[i - 1]?.rss ?? 0),
    heapUsedMb: mb(s.heapUsed),
    anonymousMb: mb(s.anonymous),
  }));
}
