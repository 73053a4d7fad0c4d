import { WorkingStages, type ParameterValue, type Stage } from '@conveyor/contracts';
import type { ReportInput } from './types.ts';

/** Stages in the order a run passes them, for the timings table. */
export const stageOrder: readonly Stage[] = WorkingStages;

/** `1m 23.4s`, `850 ms`, `2h 03m`: short enough for a table cell. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${(s - m * 60).toFixed(0).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  return `${h}h ${String(m - h * 60).padStart(2, '0')}m`;
}

/** A metric or history value: up to 4 significant decimals, integers as they are. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return String(value);
  return Number(value.toPrecision(4)).toString();
}

/** A parameter value as the run typed it (`0.01`, `3`, `true`, text; `""` for an empty string, so it does not look missing). */
export function formatParameter(value: ParameterValue): string {
  return value === '' ? '""' : String(value);
}

/** USD with enough decimals to show cents of a cent. */
export function formatUsd(usd: number): string {
  return `$${usd.toFixed(usd < 1 ? 4 : 2)}`;
}

/** The pipeline job's short id (last path segment of its resource name). */
export function shortJobId(name: string): string {
  return name.split('/').pop() ?? name;
}

/** Stage timings in run order, with the total. */
export function orderedTimings(input: ReportInput): {
  rows: { stage: Stage; ms: number }[];
  totalMs: number;
} {
  const rows = stageOrder.flatMap((stage) => {
    const ms = input.timings[stage];
    return ms === undefined ? [] : [{ stage, ms }];
  });
  return { rows, totalMs: rows.reduce((sum, r) => sum + r.ms, 0) };
}

/** One step of the lineage chain: what it is and its identifying value. */
export interface LineageStep {
  readonly label: string;
  readonly value: string;
  /** Secondary detail, e.g. the image URI under its digest. */
  readonly detail?: string | undefined;
}

/** trigger → commit → build → image digest → spec sha256 → pipeline job → model. */
export function lineage(input: ReportInput): LineageStep[] {
  const steps: LineageStep[] = [
    { label: 'Trigger', value: `${input.trigger.kind} ${input.trigger.id}`, detail: input.trigger.at },
  ];
  if (input.commit) steps.push({ label: 'Commit', value: input.commit });
  if (input.build) {
    // A reused image was built by an earlier run's build: say so, the log is that build's.
    const value = input.build.reused ? `image reused from build ${input.build.id}` : input.build.id;
    steps.push({ label: 'Build', value, detail: input.build.logUrl || undefined });
  }
  if (input.image) steps.push({ label: 'Image', value: input.image.digest, detail: input.image.uri });
  steps.push({
    label: 'Pipeline spec',
    value: input.spec.sha256 ? `sha256:${input.spec.sha256}` : '(precompiled)',
    detail: input.spec.uri,
  });
  steps.push({ label: 'Pipeline job', value: shortJobId(input.pipelineJob), detail: input.pipelineJob });
  steps.push({ label: 'Model', value: input.modelUri ?? modelNotPushed(input) });
  return steps;
}

/** Why a run has no pushed model, as far as its result tells. */
export function modelNotPushed(input: ReportInput): string {
  if (input.trigger.kind === 'sweep') return 'not pushed (a sweep trial: the sweep promotes its best)';
  if (input.blessed === false) return 'not pushed (not blessed)';
  return 'not pushed';
}

/** The headline metric: `accuracy` when reported. */
export function headlineAccuracy(input: ReportInput): number | undefined {
  return input.metrics['accuracy'];
}
