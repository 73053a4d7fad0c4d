/**
 * The Cloud Build v1 messages in the proto-loader object shape (camelCase; int64 and Timestamp
 * seconds as strings; enums as names), limited to the fields the emulator reads or writes. Other
 * fields a client sends are kept as they came.
 */

/** google.protobuf.Timestamp / Duration. */
export interface ProtoTime {
  seconds: string;
  nanos: number;
}

/** google.devtools.cloudbuild.v1.TimeSpan */
export interface TimeSpan {
  startTime: ProtoTime | null;
  endTime: ProtoTime | null;
}

/** Build.Status names. */
export type BuildStatus =
  | 'STATUS_UNKNOWN'
  | 'PENDING'
  | 'QUEUED'
  | 'WORKING'
  | 'SUCCESS'
  | 'FAILURE'
  | 'INTERNAL_ERROR'
  | 'TIMEOUT'
  | 'CANCELLED'
  | 'EXPIRED';

/** Statuses after which nothing changes. */
export const TERMINAL: readonly BuildStatus[] = [
  'SUCCESS',
  'FAILURE',
  'INTERNAL_ERROR',
  'TIMEOUT',
  'CANCELLED',
  'EXPIRED',
];

/** google.devtools.cloudbuild.v1.BuildStep */
export interface BuildStep {
  name: string;
  env: string[];
  args: string[];
  dir: string;
  id: string;
  waitFor: string[];
  entrypoint: string;
  script: string;
  timeout: ProtoTime | null;
  status: BuildStatus;
  timing: TimeSpan | null;
  exitCode: number;
  allowFailure: boolean;
  allowExitCodes: number[];
  automapSubstitutions?: boolean | null;
  [other: string]: unknown;
}

/** google.devtools.cloudbuild.v1.Build */
export interface Build {
  name: string;
  id: string;
  projectId: string;
  status: BuildStatus;
  statusDetail: string;
  source: { storageSource?: { bucket: string; object: string } | null; [other: string]: unknown } | null;
  steps: BuildStep[];
  results: {
    images: { name: string; digest: string; pushTiming: TimeSpan | null }[];
    buildStepImages: string[];
    buildStepOutputs: Buffer[];
    [other: string]: unknown;
  } | null;
  createTime: ProtoTime | null;
  startTime: ProtoTime | null;
  finishTime: ProtoTime | null;
  timeout: ProtoTime | null;
  images: string[];
  logsBucket: string;
  buildTriggerId: string;
  options: {
    substitutionOption: string;
    env: string[];
    automapSubstitutions?: boolean;
    [other: string]: unknown;
  } | null;
  logUrl: string;
  substitutions: Record<string, string>;
  tags: string[];
  timing: Record<string, TimeSpan>;
  failureInfo: { type: string; detail: string } | null;
  [other: string]: unknown;
}

/** Timestamp for `ms` since the epoch (default now). */
export function protoTime(ms: number = Date.now()): ProtoTime {
  return { seconds: String(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1_000_000 };
}

/** Milliseconds of a Timestamp or Duration (0 for null). */
export function toMillis(t: ProtoTime | null | undefined): number {
  return t ? Number(t.seconds) * 1000 + Math.floor(t.nanos / 1_000_000) : 0;
}

/** RFC 3339 text of a Timestamp ('' for null). */
export function toIso(t: ProtoTime | null | undefined): string {
  return t ? new Date(toMillis(t)).toISOString() : '';
}
