import { context, propagation, trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterAll, describe, expect, it } from 'vitest';
import { startTracing } from '@conveyor/platform/tracing';
import type { IncomingMessage } from './message.ts';
import { tracedHandler } from './tracing.ts';

const exporter = new InMemorySpanExporter();
const tracing = startTracing({ serviceName: 'conveyor-bridge' }, exporter);
afterAll(() => tracing.shutdown());

function msg(attributes: Record<string, string>): IncomingMessage {
  return { id: 'm1', data: Buffer.from('{}'), attributes, publishTime: new Date() };
}

describe('tracedHandler', () => {
  it("continues the publisher's trace from the googclient_ attributes and makes the span current for the start", async () => {
    const publisher = trace.getTracer('publisher').startSpan('publish');
    const attributes: Record<string, string> = { pipeline: 'penguins' };
    // What Google's Pub/Sub client writes: the W3C headers, prefixed.
    propagation.inject(trace.setSpan(context.active(), publisher), attributes, {
      set: (carrier, key, value) => {
        carrier[`googclient_${key}`] = value;
      },
    });
    let activeDuringHandling: string | undefined;
    const handler = tracedHandler(async () => {
      activeDuringHandling = trace.getActiveSpan()?.spanContext().traceId;
      return 'started';
    });
    expect(await handler(msg(attributes), 'pubsub')).toBe('started');
    publisher.end();
    await tracing.flush();
    const span = exporter.getFinishedSpans().find((s) => s.name === 'conveyor.bridge.message');
    expect(span?.spanContext().traceId).toBe(publisher.spanContext().traceId);
    expect(span?.parentSpanId).toBe(publisher.spanContext().spanId);
    expect(activeDuringHandling).toBe(publisher.spanContext().traceId);
    expect(span?.attributes).toMatchObject({
      'messaging.message.id': 'm1',
      'conveyor.trigger': 'pubsub',
      'conveyor.outcome': 'started',
    });
  });

  it('starts a new trace for a message without trace context, and marks a retry as an error', async () => {
    exporter.reset();
    const outcome = await tracedHandler(async () => 'retry')(msg({}), 'push');
    expect(outcome).toBe('retry');
    await tracing.flush();
    const [span] = exporter.getFinishedSpans();
    expect(span?.parentSpanId).toBeUndefined();
    expect(span?.status.code).toBe(2); // SpanStatusCode.ERROR
  });
});
