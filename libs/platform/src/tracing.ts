// OpenTelemetry tracing for the apps: one tracer provider per process, exporting over OTLP/HTTP when
// an endpoint is configured, and nothing at all otherwise.
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  NoopSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
// The client part alone: the package's index also loads the worker and workflow parts.
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry/lib/client/index.js';

/** Where spans go. */
export interface TracingConfig {
  /** `service.name` of every span this process records, e.g. `conveyor-worker`. */
  readonly serviceName: string;
  /**
   * OTLP/HTTP base URL (`OTEL_EXPORTER_OTLP_ENDPOINT`, e.g. `http://127.0.0.1:4318`); spans are posted
   * to `<endpoint>/v1/traces` as OTLP JSON. Tracing is off when undefined.
   */
  readonly otlpEndpoint?: string | undefined;
}

/** A process's tracing, started by {@link startTracing}. */
export interface Tracing {
  /** Whether spans are recorded and exported. */
  readonly enabled: boolean;
  /** Resource (service name) the spans carry; the worker passes it to the workflow span sink. */
  readonly resource: Resource;
  /** Processor the spans end in; the worker's workflow span sink feeds it. Drops spans when disabled. */
  readonly spanProcessor: SpanProcessor;
  /** Exports what is buffered now (call before a short-lived process exits). */
  flush(): Promise<void>;
  /** Flushes and stops exporting. */
  shutdown(): Promise<void>;
}

/** `<endpoint>/v1/traces`, the OTLP/HTTP traces path under a base endpoint. */
export function otlpTracesUrl(endpoint: string): string {
  return `${endpoint.replace(/\/+$/, '')}/v1/traces`;
}

/**
 * Starts tracing for this process. Enabled (an endpoint or an exporter given): registers a global
 * tracer provider with an AsyncLocalStorage context manager and the W3C trace-context propagator,
 * batching spans to the exporter. Disabled: registers nothing, so every tracer in the process is
 * OpenTelemetry's no-op and no trace context is injected anywhere.
 * @param exporter replaces the OTLP exporter (tests pass an in-memory one)
 */
export function startTracing(config: TracingConfig, exporter?: SpanExporter): Tracing {
  const resource = new Resource({ 'service.name': config.serviceName });
  const target =
    exporter ??
    (config.otlpEndpoint ? new OTLPTraceExporter({ url: otlpTracesUrl(config.otlpEndpoint) }) : undefined);
  if (!target) {
    const spanProcessor = new NoopSpanProcessor();
    return {
      enabled: false,
      resource,
      spanProcessor,
      flush: async () => {},
      shutdown: async () => {},
    };
  }
  const spanProcessor = new BatchSpanProcessor(target);
  const provider = new BasicTracerProvider({ resource, spanProcessors: [spanProcessor] });
  provider.register({ contextManager: new AsyncLocalStorageContextManager() });
  return {
    enabled: true,
    resource,
    spanProcessor,
    flush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
}

/**
 * Client interceptors that start a span around each workflow start (and signal, query, …) and
 * pass the trace context to the workflow in a header, so the workflow's spans join the caller's
 * trace. No-ops while tracing is disabled.
 */
export function tracingClientInterceptors(): { workflow: OpenTelemetryWorkflowClientInterceptor[] } {
  return { workflow: [new OpenTelemetryWorkflowClientInterceptor()] };
}
