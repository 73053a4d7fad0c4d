import { context, propagation, trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { otlpTracesUrl, startTracing } from './tracing.ts';

// One process-wide provider: the disabled case must run first (a registered provider stays).
describe('startTracing', () => {
  it('without an endpoint registers nothing: spans are no-ops, no trace context is injected', async () => {
    const tracing = startTracing({ serviceName: 'spec' });
    expect(tracing.enabled).toBe(false);
    const span = trace.getTracer('spec').startSpan('nothing');
    expect(span.isRecording()).toBe(false);
    const carrier: Record<string, string> = {};
    propagation.inject(trace.setSpan(context.active(), span), carrier);
    expect(carrier).toEqual({});
    span.end();
    await tracing.shutdown();
  });

  it('with an exporter records spans with the service name, nests them across awaits and injects W3C context', async () => {
    const exporter = new InMemorySpanExporter();
    const tracing = startTracing({ serviceName: 'conveyor-spec' }, exporter);
    expect(tracing.enabled).toBe(true);
    const tracer = trace.getTracer('spec');
    const carrier: Record<string, string> = {};
    await tracer.startActiveSpan('parent', async (parent) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      await tracer.startActiveSpan('child', async (child) => {
        propagation.inject(context.active(), carrier);
        child.end();
      });
      parent.end();
    });
    await tracing.flush();
    const spans = exporter.getFinishedSpans();
    const parent = spans.find((s) => s.name === 'parent');
    const child = spans.find((s) => s.name === 'child');
    expect(child?.parentSpanId).toBe(parent?.spanContext().spanId);
    expect(child?.spanContext().traceId).toBe(parent?.spanContext().traceId);
    expect(parent?.resource.attributes['service.name']).toBe('conveyor-spec');
    expect(carrier['traceparent']).toBe(
      `00-${child?.spanContext().traceId}-${child?.spanContext().spanId}-01`,
    );
    await tracing.shutdown();
  });
});

describe('otlpTracesUrl', () => {
  it('appends the OTLP/HTTP traces path to the base endpoint', () => {
    expect(otlpTracesUrl('http://127.0.0.1:4318')).toBe('http://127.0.0.1:4318/v1/traces');
    expect(otlpTracesUrl('https://otel.example.com/base/')).toBe('https://otel.example.com/base/v1/traces');
  });
});
