import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Start latencies kept for percentiles: the last 4096 starts cover minutes of a busy bridge. */
const LATENCY_WINDOW = 4096;

/**
 * Buckets of the start latency histogram, in seconds: a start call takes milliseconds against a
 * nearby server and up to the start timeout (10 s by default) when Temporal is struggling.
 */
const START_LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** What became of a GitHub webhook delivery. */
export const WEBHOOK_OUTCOMES = [
  'started',
  'duplicate',
  'ignored',
  'ping',
  'unauthenticated',
  'invalid',
  'failed',
] as const;
/** One of {@link WEBHOOK_OUTCOMES}. */
export type WebhookOutcome = (typeof WEBHOOK_OUTCOMES)[number];

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
  /** GitHub webhook deliveries by outcome. */
  readonly webhook: Readonly<Record<WebhookOutcome, number>>;
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

/**
 * The bridge's counters. Single-threaded: plain fields, which the handler increments. `/metrics`
 * exposes them through a prom-client registry of its own (one per bridge, so bridges in one test
 * process do not share series), read at scrape time, together with the start latency histogram
 * and Node's process metrics.
 */
export class BridgeStats {
  received = 0;
  started = 0;
  duplicates = 0;
  deadLettered = 0;
  dropped = 0;
  nacked = 0;
  inFlight = 0;
  /** GitHub webhook deliveries by outcome. */
  readonly webhook: Record<WebhookOutcome, number> = Object.fromEntries(
    WEBHOOK_OUTCOMES.map((o) => [o, 0]),
  ) as Record<WebhookOutcome, number>;
  /** The Prometheus registry behind `/metrics`. */
  readonly registry = new Registry();
  readonly #latencies: number[] = [];
  #next = 0;
  readonly #startLatency: Histogram;

  constructor() {
    const registers = [this.registry];
    const counter = (name: string, help: string, read: () => number): void => {
      new Counter({
        name,
        help,
        registers,
        collect() {
          this.reset();
          this.inc(read());
        },
      });
    };
    counter(
      'conveyor_bridge_received_total',
      'Messages received (pull and push, redeliveries included)',
      () => this.received,
    );
    counter('conveyor_bridge_started_total', 'Start calls that returned a run', () => this.started);
    counter(
      'conveyor_bridge_duplicates_total',
      'Redeliveries whose run already finished',
      () => this.duplicates,
    );
    counter(
      'conveyor_bridge_dead_lettered_total',
      'Invalid messages published to the dead-letter topic',
      () => this.deadLettered,
    );
    counter('conveyor_bridge_nacked_total', 'Messages given back to Pub/Sub to retry', () => this.nacked);
    const webhook = this.webhook;
    new Counter({
      name: 'conveyor_bridge_webhook_deliveries_total',
      help: 'GitHub webhook deliveries by outcome',
      labelNames: ['outcome'],
      registers,
      collect() {
        this.reset();
        for (const outcome of WEBHOOK_OUTCOMES) this.inc({ outcome }, webhook[outcome]);
      },
    });
    const inFlight = (): number => this.inFlight;
    new Gauge({
      name: 'conveyor_bridge_in_flight',
      help: 'Messages being handled now',
      registers,
      collect() {
        this.set(inFlight());
      },
    });
    this.#startLatency = new Histogram({
      name: 'conveyor_bridge_start_latency_seconds',
      help: 'Latency of successful workflow start calls',
      buckets: START_LATENCY_BUCKETS,
      registers,
    });
    collectDefaultMetrics({ register: this.registry });
  }

  /** Records one successful start's latency. */
  recordStartLatency(ms: number): void {
    if (this.#latencies.length < LATENCY_WINDOW) this.#latencies.push(ms);
    else this.#latencies[this.#next] = ms;
    this.#next = (this.#next + 1) % LATENCY_WINDOW;
    this.#startLatency.observe(ms / 1000);
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
      webhook: { ...this.webhook },
      startLatencyMs: { p50: percentile(sorted, 50), p95: percentile(sorted, 95), count: sorted.length },
    };
  }

  /** Prometheus text exposition of every bridge metric (`/metrics`), and its content type. */
  async prometheus(): Promise<{ text: string; contentType: string }> {
    return { text: await this.registry.metrics(), contentType: this.registry.contentType };
  }
}
