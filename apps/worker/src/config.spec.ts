import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

const base = { GOOGLE_CLOUD_PROJECT: 'p' };

describe('worker config: the Web UI the run report links to', () => {
  it('TEMPORAL_UI_URL wins', () => {
    expect(loadConfig({ ...base, TEMPORAL_UI_URL: 'https://ui.example.com' }).webUiBaseUrl).toBe(
      'https://ui.example.com',
    );
  });
  it('a loopback dev server: its UI on the gRPC port + 1000', () => {
    expect(loadConfig({ ...base, TEMPORAL_ADDRESS: '127.0.0.1:7233' }).webUiBaseUrl).toBe(
      'http://127.0.0.1:8233',
    );
  });
  it('Temporal Cloud: cloud.temporal.io; another server: no link', () => {
    expect(
      loadConfig({ ...base, TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233', TEMPORAL_API_KEY: 'k' })
        .webUiBaseUrl,
    ).toBe('https://cloud.temporal.io');
    expect(loadConfig({ ...base, TEMPORAL_ADDRESS: 'temporal.internal:7233' }).webUiBaseUrl).toBeUndefined();
  });
  it('names TEMPORAL_UI_URL when it is not a URL', () => {
    expect(() => loadConfig({ ...base, TEMPORAL_UI_URL: 'not a url' })).toThrow(/TEMPORAL_UI_URL/);
  });
});

describe('worker config: metrics, tracing, serving root', () => {
  it('is off by default and on when set', () => {
    const off = loadConfig(base);
    expect(off).toMatchObject({ metricsAddress: undefined, servingRoot: undefined });
    expect(off.tracing).toEqual({ serviceName: 'conveyor-worker', otlpEndpoint: undefined });
    const on = loadConfig({
      ...base,
      CONVEYOR_METRICS_ADDRESS: '0.0.0.0:9464',
      CONVEYOR_SERVING_ROOT: 'gs://models/serving',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
    });
    expect(on).toMatchObject({ metricsAddress: '0.0.0.0:9464', servingRoot: 'gs://models/serving' });
    expect(on.tracing.otlpEndpoint).toBe('http://127.0.0.1:4318');
  });
  it('names each bad variable', () => {
    expect(() => loadConfig({ ...base, CONVEYOR_METRICS_ADDRESS: '9464' })).toThrow(
      /CONVEYOR_METRICS_ADDRESS/,
    );
    expect(() => loadConfig({ ...base, CONVEYOR_SERVING_ROOT: '/models' })).toThrow(/CONVEYOR_SERVING_ROOT/);
    expect(() => loadConfig({ ...base, OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' })).toThrow(
      /OTEL_EXPORTER_OTLP_PROTOCOL/,
    );
  });
});
