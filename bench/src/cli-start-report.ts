// The figures of bench/src/cli-start.ts. Pure, so the unit test can hold the report to its promise:
// it refuses to report a run that measured nothing or a command that failed.
import { NothingMeasuredError, summarize } from './stats.ts';

/** One `conveyor …` process, spawn to exit. */
export interface CliSample {
  /** The arguments, joined by spaces, e.g. `schedule create --help`. */
  readonly command: string;
  readonly wallMs: number;
  readonly exitCode: number | null;
}

/** Median and spread of the wall time of each command, in ms. */
export interface CliStartReport {
  readonly commands: Record<
    string,
    { readonly samples: number; readonly p50Ms: number; readonly minMs: number; readonly maxMs: number }
  >;
}

/**
 * Medians per command.
 * @throws NothingMeasuredError when there is no sample, one took no time, or one exited non-zero (a
 *   command that fails fast measures its failure, not its start)
 */
export function cliStartReport(samples: readonly CliSample[]): CliStartReport {
  if (samples.length === 0) throw new NothingMeasuredError('no conveyor process was timed');
  const bad = samples.find((s) => s.exitCode !== 0 || !(s.wallMs > 0));
  if (bad)
    throw new NothingMeasuredError(
      `conveyor ${bad.command} exited ${String(bad.exitCode)} after ${bad.wallMs} ms: nothing to measure`,
    );
  const commands: Record<string, { samples: number; p50Ms: number; minMs: number; maxMs: number }> = {};
  for (const command of new Set(samples.map((s) => s.command))) {
    const s = summarize(samples.filter((x) => x.command === command).map((x) => x.wallMs));
    commands[command] = {
      samples: s.n,
      p50Ms: Math.round(s.p50),
      minMs: Math.round(s.min),
      maxMs: Math.round(s.max),
    };
  }
  return { commands };
}
