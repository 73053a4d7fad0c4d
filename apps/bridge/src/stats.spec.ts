import { describe, expect, it } from 'vitest';
import { family, parsePrometheus } from '@conveyor/testing';
import { BridgeStats } from './stats.ts';

describe('BridgeStats /metrics', () => {
  it('is a valid Prometheus exposition of the counters, the in-flight gauge and the start latency histogram', async () => {
    const stats = new BridgeStats();
    stats.received = 5;
    stats.started = 3;
    stats.duplicates = 1;
    stats.deadLettered = 1;
    stats.nacked = 2;
    stats.inFlight = 1;
    for (const ms of [4, 30, 800]) stats.recordStartLatency(ms);
    const { text, contentType } = await stats.prometheus();
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    const families = parsePrometheus(text);
    const value = (name: string) => family(families, name).metrics[0]?.value;
    expect(family(families, 'conveyor_bridge_received_total').type).toBe('COUNTER');
    expect(value('conveyor_bridge_received_total')).toBe('5');
    expect(value('conveyor_bridge_started_total')).toBe('3');
    expect(value('conveyor_bridge_duplicates_total')).toBe('1');
    expect(value('conveyor_bridge_dead_lettered_total')).toBe('1');
    expect(value('conveyor_bridge_nacked_total')).toBe('2');
    expect(family(families, 'conveyor_bridge_in_flight').type).toBe('GAUGE');
    expect(value('conveyor_bridge_in_flight')).toBe('1');
    const latency = family(families, 'conveyor_bridge_start_latency_seconds');
    expect(latency.type).toBe('HISTOGRAM');
    expect(latency.metrics[0]?.count).toBe('3');
    expect(Number(latency.metrics[0]?.sum)).toBeCloseTo(0.834);
    expect(latency.metrics[0]?.buckets?.['0.005']).toBe('1');
    expect(latency.metrics[0]?.buckets?.['0.05']).toBe('2');
    expect(latency.metrics[0]?.buckets?.['1']).toBe('3');
    // Node's process metrics come along for free.
    expect(families.map((f) => f.name)).toContain('process_cpu_user_seconds_total');
  });

  it('reads the counters at scrape time (a later scrape sees later values)', async () => {
    const stats = new BridgeStats();
    stats.received++;
    const first = parsePrometheus((await stats.prometheus()).text);
    stats.received++;
    const second = parsePrometheus((await stats.prometheus()).text);
    expect(family(first, 'conveyor_bridge_received_total').metrics[0]?.value).toBe('1');
    expect(family(second, 'conveyor_bridge_received_total').metrics[0]?.value).toBe('2');
  });

  it('keeps /stats: counters and start latency percentiles as JSON', () => {
    const stats = new BridgeStats();
    stats.started = 2;
    stats.recordStartLatency(10);
    stats.recordStartLatency(20);
    expect(stats.snapshot()).toMatchObject({ started: 2, startLatencyMs: { p50: 10, p95: 20, count: 2 } });
  });

  it('the parser rejects what is not exposition format (so the checks above can fail)', () => {
    expect(() => parsePrometheus('# TYPE x counter\nx{le="1" 2\n')).toThrow();
  });
});
