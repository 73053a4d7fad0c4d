// The demo's closing report: human lines and the stable `-o json` shape.
import type { TrainingRunResult } from '@conveyor/contracts';
import { orderedStages } from './stages.ts';
import type { ReportFiles } from './report.ts';

/** Everything the demo found out; printed with `-o json`. */
export interface DemoSummary {
  /** The run's id (its workflow id, `<pipeline>-<runKey>`). */
  readonly runId: string;
  readonly messageId: string;
  /** The `runKey` attribute the message carried: the run's workflow id is `<pipeline>-key-<runKey>`. */
  readonly runKey: string;
  readonly message: string;
  readonly status: 'COMPLETED' | 'FAILED' | 'CANCELLED' | 'TERMINATED' | 'TIMED_OUT';
  readonly result?: TrainingRunResult | undefined;
  readonly error?: string | undefined;
  readonly report?: ReportFiles | undefined;
  readonly webUi: string;
  readonly schedule: {
    readonly scheduleId: string;
    readonly created: boolean;
    readonly paused: boolean;
    readonly enable: readonly string[];
  };
  /** Wall-clock figures of this demo, ms. */
  readonly timings: {
    readonly stackUpMs: number;
    readonly publishToStartMs: number;
    readonly runMs: number;
    /** From `conveyor demo` to the end of the run (the pushed model). */
    readonly totalMs: number;
  };
  readonly stack: { readonly dataDir: string; readonly started: readonly string[] };
}

function seconds(ms: number): string {
  return ms >= 60_000
    ? `${Math.floor(ms / 60_000)}m ${Math.round((ms % 60_000) / 1000)}s`
    : `${(ms / 1000).toFixed(1)}s`;
}

/** The closing report as aligned lines. */
export function formatSummary(s: DemoSummary): string {
  const rows: [string, string | undefined][] = [];
  const r = s.result;
  if (r) {
    rows.push(
      ['run', `${r.runId}  ${r.state}`],
      ['trigger', `${r.trigger.kind} message ${r.trigger.id}  ${s.message}`],
      [
        'parameters',
        Object.entries(r.parameters ?? {})
          .map(([k, v]) => `${k}=${String(v)}`)
          .join(' '),
      ],
      ['commit', r.commit],
      [
        'build',
        r.build
          ? r.build.reused
            ? `image reused from build ${r.build.id}`
            : r.build.id
          : 'skipped (precompiled spec)',
      ],
      ['image', r.image ? `${r.image.uri}  ${r.image.digest}` : undefined],
      ['spec', `${r.spec.uri}${r.spec.sha256 ? `  sha256 ${r.spec.sha256}` : ''}`],
      ['pipeline job', r.pipelineJob],
      [
        'accuracy',
        r.metrics['accuracy'] === undefined
          ? '(not reported)'
          : String(Number(r.metrics['accuracy'].toFixed(4))),
      ],
      ['model', r.modelUri ?? '(not pushed: not blessed)'],
      [
        'time/stage',
        orderedStages(r.timings)
          .map(([stage, ms]) => `${stage} ${seconds(ms)}`)
          .join(' · '),
      ],
      [
        'est. cost',
        `$${r.estimatedCost.usd.toFixed(4)} had it run on Google Cloud (${r.estimatedCost.basis})`,
      ],
    );
  } else {
    rows.push(['run', `${s.runId}  ${s.status}`], ['error', s.error]);
  }
  rows.push(
    ['Web UI', s.webUi],
    [
      'report',
      s.report ? `${s.report.html}${s.report.gcsUri ? `  (stored at ${s.report.gcsUri})` : ''}` : undefined,
    ],
    [
      'wall clock',
      `stack ${seconds(s.timings.stackUpMs)} · publish→start ${seconds(s.timings.publishToStartMs)} · run ${seconds(s.timings.runMs)} · total ${seconds(s.timings.totalMs)}`,
    ],
  );
  const body = rows
    .filter((row): row is [string, string] => row[1] !== undefined && row[1] !== '')
    .map(([k, v]) => `  ${k.padEnd(12)} ${v}`)
    .join('\n');
  const sched = s.schedule;
  const schedule = [
    `Example schedule '${sched.scheduleId}' (*/3 * * * *) ${sched.created ? 'created' : 'already exists'}, ${sched.paused ? 'paused' : 'running'}. To enable it:`,
    ...sched.enable.map((c) => `  ${c}`),
  ].join('\n');
  return `${body}\n\n${schedule}`;
}
