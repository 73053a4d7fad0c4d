// One CLIENT span per Google API call, so a run's trace reaches from the activity into Cloud Build,
// Vertex AI and Cloud Storage. The tracer is OpenTelemetry's global one: a no-op until an app starts
// tracing, and the span's parent is whatever is active (the activity's span in the worker).
import { SpanKind, SpanStatusCode, trace, type Attributes } from '@opentelemetry/api';
import { messageOf } from '@conveyor/contracts';

const tracer = trace.getTracer('@conveyor/gcp');

/**
 * Runs `fn` inside an active CLIENT span named `operation` (e.g. `CloudBuild.createBuild`). A thrown
 * error marks the span failed, with its `code` (a GcpError's gRPC status name or HTTP status) as
 * `error.type`, and is rethrown as is.
 */
export async function inClientSpan<T>(
  operation: string,
  attributes: Attributes,
  fn: () => Promise<T>,
): Promise<T> {
  return tracer.startActiveSpan(operation, { kind: SpanKind.CLIENT, attributes }, async (span) => {
    try {
      return await fn();
    } catch (e: unknown) {
      const code = e && typeof e === 'object' && 'code' in e ? e.code : undefined;
      if (typeof code === 'string' || typeof code === 'number') span.setAttribute('error.type', String(code));
      span.setStatus({ code: SpanStatusCode.ERROR, message: messageOf(e) });
      throw e;
    } finally {
      span.end();
    }
  });
}

/** Span attributes of a gRPC call named `Service.method` (OpenTelemetry's RPC conventions). */
export function grpcSpanAttributes(operation: string): Attributes {
  const [service, method] = operation.split('.');
  return { 'rpc.system': 'grpc', 'rpc.service': service ?? operation, 'rpc.method': method ?? '' };
}
