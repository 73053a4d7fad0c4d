// Human output of runs: the result block, one-line progress, list rows.
import type { RunStatus, TrainingRunResult } from '@conveyor/contracts';

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

/** The result of a finished run as aligned `label  value` lines. */
export function formatResult(result: TrainingRunResult): string {
  const rows: [string, string | undefined][] = [
    ['run', `${result.runId}  (${result.pipeline}, ${result.trigger.kind})`],
    [
      'parameters',
      Object.entries(result.parameters ?? {})
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(' '),
    ],
    ['commit', result.commit],
    [
      'build',
      result.build
        ? `${result.build.reused ? `image reused from build ${result.build.id}` : result.build.id}${result.build.logUrl ? `  log: ${result.build.logUrl}` : ''}`
        : 'skipped (precompiled spec)',
    ],
    ['image', result.image ? `${result.image.uri}@${result.image.digest}` : undefined],
    ['spec', `${result.spec.uri}${result.spec.sha256 ? `  sha256 ${result.spec.sha256}` : ''}`],
    ['pipeline job', `${result.pipelineJob}  ${result.state}`],
    ['tasks', result.tasks.map((t) => `${t.name} ${t.state}`).join(', ')],
    [
      'metrics',
      Object.entries(result.metrics)
        .map(([k, v]) => `${k}=${Number(v.toFixed(4))}`)
        .join(' ') || '(none)',
    ],
    ['model', result.modelUri ?? '(not pushed)'],
    [
      'timings',
      Object.entries(result.timings)
        .map(([k, v]) => `${k} ${seconds(v ?? 0)}`)
        .join(', '),
    ],
    ['est. cost', `$${result.estimatedCost.usd.toFixed(4)}  (${result.estimatedCost.basis})`],
    ['report', result.report?.htmlUri],
  ];
  return rows
    .filter((r): r is [string, string] => r[1] !== undefined && r[1] !== '')
    .map(([label, value]) => `${label.padEnd(12)} ${value}`)
    .join('\n');
}

/** One progress line: the stage, and the latest word from the build or job being waited on. */
export function progressLine(status: RunStatus | undefined, activity: string | undefined): string {
  const stage = status?.stage ?? 'starting';
  return `[${stage}]${activity ? ` ${activity}` : ''}`;
}
