import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, otelEnvShape, parseEnv, tracingConfigFromEnv, withTemporalEnv } from './config.ts';

describe('parseEnv', () => {
  const schema = withTemporalEnv({
    GOOGLE_CLOUD_PROJECT: z.string(),
    CONVEYOR_PORT: z.coerce.number().int(),
  });

  it('applies defaults and coerces', () => {
    const env = parseEnv(schema, { GOOGLE_CLOUD_PROJECT: 'p', CONVEYOR_PORT: '8080', OTHER: 'x' });
    expect(env.TEMPORAL_ADDRESS).toBe('127.0.0.1:7233');
    expect(env.CONVEYOR_PORT).toBe(8080);
  });

  it('reports every problem, each naming its variable', () => {
    try {
      parseEnv(schema, { CONVEYOR_PORT: 'abc', TEMPORAL_TLS_CERT: '/c.pem', GOOGLE_CLOUD_PROJECT: '' });
      expect.unreachable();
    } catch (e: unknown) {
      expect(e).toBeInstanceOf(ConfigError);
      const variables = (e as ConfigError).issues.map((i) => i.variable).sort();
      expect(variables).toEqual(['CONVEYOR_PORT', 'GOOGLE_CLOUD_PROJECT', 'TEMPORAL_TLS_KEY']);
    }
  });

  it('insists on cert and key together', () => {
    expect(() =>
      parseEnv(schema, { GOOGLE_CLOUD_PROJECT: 'p', CONVEYOR_PORT: '1', TEMPORAL_TLS_CERT: '/c' }),
    ).toThrow(/TEMPORAL_TLS_KEY/);
  });
});

describe('OpenTelemetry variables', () => {
  const schema = withTemporalEnv(otelEnvShape);

  it('tracing is off without OTEL_EXPORTER_OTLP_ENDPOINT and on with it', () => {
    expect(tracingConfigFromEnv(parseEnv(schema, {}), 'conveyor-worker')).toEqual({
      serviceName: 'conveyor-worker',
      otlpEndpoint: undefined,
    });
    const env = parseEnv(schema, {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      OTEL_SERVICE_NAME: 'worker-eu',
    });
    expect(tracingConfigFromEnv(env, 'conveyor-worker')).toEqual({
      serviceName: 'worker-eu',
      otlpEndpoint: 'http://collector:4318',
    });
  });

  it('names the variable of a bad endpoint or an unsupported protocol', () => {
    expect(() => parseEnv(schema, { OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toThrow(
      /OTEL_EXPORTER_OTLP_ENDPOINT: must be an http/,
    );
    expect(() => parseEnv(schema, { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' })).toThrow(
      /OTEL_EXPORTER_OTLP_PROTOCOL: only http\/json/,
    );
    expect(parseEnv(schema, { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }).OTEL_EXPORTER_OTLP_PROTOCOL).toBe(
      'http/json',
    );
  });
});
