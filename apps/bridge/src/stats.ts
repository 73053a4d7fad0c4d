/** Start latencies kept for percentiles: the last 4096 starts cover minutes of a busy bridge. */
const LATENCY_WINDOW = 4096;

/** A snapshot of the bridge's counters (what /stats returns). */
export interface StatsSnapshot {
  /** Messages handed to the handler (pull and push, redeliveries included). */
  readonly received: number;
  /** Start calls that returned a run (a new one, or the running one for its id). */
  readonly started: number;
  /** Redeliveries whose run already finished (WorkflowExecutionAlreadyStartedError). */
  readonly duplicates: number;
  readonly deadLettered: number;
  /** Invalid messages acked without a dead letter: Pub/Sub refused even a minimal one. */
  readonly dropped: number;
  /** Messages given back to Pub/Sub (Temporal or the dead-letter topic unreachable). */
  readonly nacked: number;
  /** Messages being handled right now. */
  readonly inFlight: number;
  /** Latency of successful start calls, milliseconds. */
  readonly startLatencyMs: {
    readonly p50: number | null;
    readonly p95: number | null;
    readonly count: number;
  };
}

function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? null;
}

/** The bridge's counters. Single-threaded: plain fields. */
export class BridgeStats {
  received = 0;
  started = 0;
  duplicates = 0;
  deadLettered = 0;
  dropped = 0;
  nacked = 0;
  inFlight = 0;
  readonly #latencies: number[] = [];
  #next = 0;

  /** Records one successful start's latency. */
  recordStartLatency(ms: number): void {
    if (this.#latencies.length < LATENCY_WINDOW) this.#latencies.push(ms);
    else this.#latencies[this.#next] = ms;
    this.#next = (this.#next + 1) % LATENCY_WINDOW;
  }

  /** The counters now. */
  snapshot(): StatsSnapshot {
    const sorted = [...this.#latencies].sort((a, b) => a - b);
    return {
      received: this.received,
      started: this.started,
      duplicates: this.duplicates,
      deadLettered: this.deadLettered,
      dropped: this.dropped,
      nacked: this.nacked,
      inFlight: this.inFlight,
      startLatencyMs: { p50: percentile(sorted, 50), p95: percentile(sorted, 95), count: sorted.length },
    };
  }

  /** Prometheus text exposition of {@link snapshot}. */
  prometheus(): string {
    const s = this.snapshot();
    const lines = [
      ['conveyor_bridge_received_total', 'counter', s.received],
      ['conveyor_bridge_started_total', 'counter', s.started],
      ['conveyor_bridge_duplicates_total', 'counter', s.duplicates],
      ['conveyor_bridge_dead_lettered_total', 'counter', s.deadLettered],
      ['conveyor_bridge_dropped_total', 'counter', s.dropped],
      ['conveyor_bridge_nacked_total', 'counter', s.nacked],
      ['conveyor_bridge_in_flight', 'gauge', s.inFlight],
    ].flatMap(([name, type, value]) => [`# TYPE ${name} ${type}`, `${name} ${value}`]);
    lines.push('# TYPE conveyor_bridge_start_latency_ms summary');
    if (s.startLatencyMs.p50 !== null)
      lines.push(`conveyor_bridge_start_latency_ms{quantile="0.5"} ${s.startLatencyMs.p50}`);
    if (s.startLatencyMs.p95 !== null)
      lines.push(`conveyor_bridge_start_latency_ms{quantile="0.95"} ${s.startLatencyMs.p95}`);
    lines.push(`conveyor_bridge_start_latency_ms_count ${s.startLatencyMs.count}`);
    return `${lines.join('\n')}\n`;
  }
}
