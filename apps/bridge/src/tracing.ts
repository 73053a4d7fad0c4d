// One CONSUMER span per message handled, continuing the publisher's trace when the message carries
// one: Google's Pub/Sub client libraries (with OpenTelemetry tracing on) put the W3C trace context
// into attributes prefixed `googclient_`. The Temporal client interceptor then starts the workflow
// inside this span, so publisher, bridge, workflow and activities share one trace.
import {
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type TextMapGetter,
} from '@opentelemetry/api';
import type { MessageHandler } from './handler.ts';

/** Prefix of the trace-context attributes Google's Pub/Sub libraries write. */
const ATTRIBUTE_PREFIX = 'googclient_';

const attributeGetter: TextMapGetter<Readonly<Record<string, string>>> = {
  keys: (carrier) =>
    Object.keys(carrier)
      .filter((k) => k.startsWith(ATTRIBUTE_PREFIX))
      .map((k) => k.slice(ATTRIBUTE_PREFIX.length)),
  get: (carrier, key) => carrier[`${ATTRIBUTE_PREFIX}${key}`],
};

/**
 * Wraps the message handler in a span (`conveyor.bridge.message`) whose parent is the trace context
 * found in the message's attributes, if any. A no-op wrapper while tracing is disabled (the global
 * tracer and propagator are OpenTelemetry's no-ops then).
 */
export function tracedHandler(handler: MessageHandler): MessageHandler {
  const tracer = trace.getTracer('@conveyor/bridge');
  return (message, kind) => {
    const parent = propagation.extract(ROOT_CONTEXT, message.attributes, attributeGetter);
    const attributes = {
      'messaging.system': 'gcp_pubsub',
      'messaging.operation.type': 'process',
      'messaging.message.id': message.id,
      'conveyor.trigger': kind,
    };
    return tracer.startActiveSpan(
      'conveyor.bridge.message',
      { kind: SpanKind.CONSUMER, attributes },
      parent,
      async (span) => {
        try {
          const outcome = await handler(message, kind);
          span.setAttribute('conveyor.outcome', outcome);
          if (outcome === 'retry') span.setStatus({ code: SpanStatusCode.ERROR, message: 'will retry' });
          return outcome;
        } finally {
          span.end();
        }
      },
    );
  };
}
