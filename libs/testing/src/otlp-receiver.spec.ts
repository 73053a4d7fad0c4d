import { trace } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTracing, type Tracing } from '@conveyor/platform/tracing';
import { startOtlpReceiver, type OtlpReceiver } from './otlp-receiver.ts';

describe('the OTLP receiver gets what the apps export', () => {
  let receiver: OtlpReceiver;
  let tracing: Tracing;
  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    tracing = startTracing({ serviceName: 'conveyor-spec', otlpEndpoint: receiver.endpoint });
  });
  afterAll(async () => {
    await tracing?.shutdown();
    await receiver?.close();
  });

  it('decodes spans posted as OTLP/HTTP JSON: names, ids, parents, service, attributes', async () => {
    const tracer = trace.getTracer('spec');
    tracer.startActiveSpan('outer', (outer) => {
      tracer.startSpan('inner', { attributes: { 'rpc.method': 'GetBuild', attempt: 2 } }).end();
      outer.end();
    });
    await tracing.flush();
    const spans = receiver.spans();
    const outer = spans.find((s) => s.name === 'outer');
    const inner = spans.find((s) => s.name === 'inner');
    expect(outer?.service).toBe('conveyor-spec');
    expect(outer?.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(inner).toMatchObject({
      traceId: outer?.traceId,
      parentSpanId: outer?.spanId,
      attributes: { 'rpc.method': 'GetBuild', attempt: 2 },
    });
  });

  it('refuses what is not an OTLP JSON trace export', async () => {
    const post = (path: string, type: string) =>
      fetch(`${receiver.endpoint}${path}`, { method: 'POST', headers: { 'content-type': type }, body: '{}' });
    expect((await post('/v1/metrics', 'application/json')).status).toBe(404);
    expect((await post('/v1/traces', 'application/x-protobuf')).status).toBe(415);
  });
});
