import { describe, expect, it } from 'vitest';
import { cliStartReport } from './cli-start-report.ts';
import { NothingMeasuredError } from './stats.ts';

describe('cli-start report', () => {
  it('reports the median, min and max of each command', () => {
    const report = cliStartReport([
      { command: '--help', wallMs: 1_500, exitCode: 0 },
      { command: 'run --help', wallMs: 700, exitCode: 0 },
      { command: '--help', wallMs: 1_700, exitCode: 0 },
      { command: 'run --help', wallMs: 650.4, exitCode: 0 },
      { command: '--help', wallMs: 1_600, exitCode: 0 },
    ]);
    expect(report.commands).toEqual({
      '--help': { samples: 3, p50Ms: 1_600, minMs: 1_500, maxMs: 1_700 },
      'run --help': { samples: 2, p50Ms: 650, minMs: 650, maxMs: 700 },
    });
  });

  it('refuses to report a run that measured nothing, or a command that failed', () => {
    expect(() => cliStartReport([])).toThrow(NothingMeasuredError);
    expect(() => cliStartReport([{ command: '--help', wallMs: 0, exitCode: 0 }])).toThrow(
      NothingMeasuredError,
    );
    expect(() =>
      cliStartReport([
        { command: '--help', wallMs: 900, exitCode: 0 },
        { command: 'compile penguins', wallMs: 300, exitCode: 1 },
      ]),
    ).toThrow(/compile penguins exited 1/);
  });
});
