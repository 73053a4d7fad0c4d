// The figures of bench/src/schedule-lag.ts. Pure, so the unit test can hold the report to its promise:
// it refuses to report a run that measured nothing.
import { NothingMeasuredError, summarize, type Summary } from './stats.ts';

/** One firing: when the schedule meant it to start and when the run started, epoch ms. */
export interface Firing {
  readonly scheduledAt: number;
  readonly startedAt: number;
}

/** One timer the schedule's scheduler workflow set between firings, epoch ms. */
export interface SchedulerTimer {
  /** The TimerStarted event: when the server took the timer. */
  readonly startedAt: number;
  /** How long the scheduler asked to sleep (`startToFireTimeout`), ms. */
  readonly requestedMs: number;
  /** The TimerFired event. */
  readonly firedAt: number;
}

/** What the scheduler's timers did: asked for vs fired after, and how late. */
export interface SchedulerTimerFigures {
  readonly timers: number;
  readonly requestedMs: Summary;
  /** TimerStarted → TimerFired. */
  readonly firedAfterMs: Summary;
  /** TimerFired − (TimerStarted + requested): how late the server fired it. */
  readonly lateMs: Summary;
}

/** What the benchmark prints. */
export interface ScheduleLagReport {
  readonly firings: number;
  /** Runs found with a scheduled time. */
  readonly runs: number;
  /** Scheduled time → run started, ms. */
  readonly fireLagMs: Summary;
  /** Absent when the scheduler kept no workflow history to read (a CHASM schedule). */
  readonly schedulerTimers?: SchedulerTimerFigures;
}

/** The structural slice of a history event this module reads (`temporal.api.history.v1.IHistoryEvent`). */
interface ProtoTime {
  readonly seconds?: number | { toString(): string } | null;
  readonly nanos?: number | null;
}
/** A history event, as much of it as {@link schedulerTimers} reads. */
export interface TimerEvent {
  readonly eventTime?: ProtoTime | null;
  readonly timerStartedEventAttributes?: {
    readonly timerId?: string | null;
    readonly startToFireTimeout?: ProtoTime | null;
  } | null;
  readonly timerFiredEventAttributes?: { readonly timerId?: string | null } | null;
}

const ms = (t: ProtoTime | null | undefined): number =>
  t ? Number(t.seconds ?? 0) * 1000 + (t.nanos ?? 0) / 1e6 : Number.NaN;

/** The fired timers of a scheduler workflow's history, paired by timer id (cancelled ones left out). */
export function schedulerTimers(events: readonly TimerEvent[]): SchedulerTimer[] {
  const started = new Map<string, { startedAt: number; requestedMs: number }>();
  const timers: SchedulerTimer[] = [];
  for (const e of events) {
    const s = e.timerStartedEventAttributes;
    if (s?.timerId)
      started.set(s.timerId, { startedAt: ms(e.eventTime), requestedMs: ms(s.startToFireTimeout) });
    const id = e.timerFiredEventAttributes?.timerId;
    const begun = id ? started.get(id) : undefined;
    if (begun) timers.push({ ...begun, firedAt: ms(e.eventTime) });
  }
  return timers;
}

const rounded = (s: Summary): Summary => ({
  n: s.n,
  min: Math.round(s.min),
  p50: Math.round(s.p50),
  p95: Math.round(s.p95),
  p99: Math.round(s.p99),
  max: Math.round(s.max),
  mean: Math.round(s.mean),
});

/**
 * @param timers the scheduler's timers ({@link schedulerTimers}); empty when it kept no history
 * @throws NothingMeasuredError when no firing was observed, or one lacks its times
 */
export function scheduleLagReport(
  firings: number,
  observed: readonly Firing[],
  timers: readonly SchedulerTimer[] = [],
): ScheduleLagReport {
  if (
    observed.length === 0 ||
    observed.some((f) => !Number.isFinite(f.scheduledAt) || !Number.isFinite(f.startedAt))
  ) {
    throw new NothingMeasuredError(
      `${observed.length} runs of ${firings} firings, some without times: nothing was measured`,
    );
  }
  return {
    firings,
    runs: observed.length,
    fireLagMs: summarize(observed.map((f) => f.startedAt - f.scheduledAt)),
    ...(timers.length > 0
      ? {
          schedulerTimers: {
            timers: timers.length,
            requestedMs: rounded(summarize(timers.map((t) => t.requestedMs))),
            firedAfterMs: rounded(summarize(timers.map((t) => t.firedAt - t.startedAt))),
            lateMs: rounded(summarize(timers.map((t) => t.firedAt - t.startedAt - t.requestedMs))),
          },
        }
      : {}),
  };
}
