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

describe('worker config: metrics and tracing', () => {
  it('is off by default and on when set', () => {
    const off = loadConfig(base);
    expect(off).toMatchObject({ metricsAddress: undefined });
    expect(off.tracing).toEqual({ serviceName: 'conveyor-worker', otlpEndpoint: undefined });
    const on = loadConfig({
      ...base,
      CONVEYOR_METRICS_ADDRESS: '0.0.0.0:9464',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
    });
    expect(on).toMatchObject({ metricsAddress: '0.0.0.0:9464' });
    expect(on.tracing.otlpEndpoint).toBe('http://127.0.0.1:4318');
  });
  it('names each bad variable', () => {
    expect(() => loadConfig({ ...base, CONVEYOR_METRICS_ADDRESS: '9464' })).toThrow(
      /CONVEYOR_METRICS_ADDRESS/,
    );
    expect(() => loadConfig({ ...base, OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' })).toThrow(
      /OTEL_EXPORTER_OTLP_PROTOCOL/,
    );
  });
});

describe('worker config: operator settings and allowed buckets', () => {
  it('defaults to no extra buckets and no settings', () => {
    expect(loadConfig(base)).toMatchObject({ allowedBuckets: [], pipelineSettings: {} });
  });

  it('reads CONVEYOR_ALLOWED_BUCKETS (comma-separated names) and CONVEYOR_PIPELINE_SETTINGS (JSON)', () => {
    const c = loadConfig({
      ...base,
      CONVEYOR_ALLOWED_BUCKETS: 'my-models, shared-data',
      CONVEYOR_PIPELINE_SETTINGS:
        '{"penguins": {"serving_root": "gs://my-models/serving", "threshold": 0.95}}',
    });
    expect(c.allowedBuckets).toEqual(['my-models', 'shared-data']);
    expect(c.pipelineSettings).toEqual({
      penguins: { serving_root: 'gs://my-models/serving', threshold: 0.95 },
    });
  });

  it.each([
    ['CONVEYOR_ALLOWED_BUCKETS', 'gs://my-models', /CONVEYOR_ALLOWED_BUCKETS\.0: .*is not a bucket name/],
    ['CONVEYOR_ALLOWED_BUCKETS', 'Bad_Bucket!', /CONVEYOR_ALLOWED_BUCKETS\.0: .*is not a bucket name/],
    ['CONVEYOR_PIPELINE_SETTINGS', '{penguins}', /CONVEYOR_PIPELINE_SETTINGS: not JSON/],
    ['CONVEYOR_PIPELINE_SETTINGS', '{"penguins": {"x": [1]}}', /CONVEYOR_PIPELINE_SETTINGS\.penguins\.x: /],
    ['CONVEYOR_PIPELINE_SETTINGS', '["penguins"]', /CONVEYOR_PIPELINE_SETTINGS: /],
  ])('names %s when it is %s', (variable, value, message) => {
    expect(() => loadConfig({ ...base, [variable]: value })).toThrow(message);
  });
});

describe('workflow cache (CONVEYOR_MAX_CACHED_WORKFLOWS)', () => {
  it('defaults to 50 and reads the variable', () => {
    expect(loadConfig(base).maxCachedWorkflows).toBe(50);
    expect(loadConfig({ ...base, CONVEYOR_MAX_CACHED_WORKFLOWS: '0' }).maxCachedWorkflows).toBe(0);
  });

  it('names the variable when it is not a count', () => {
    expect(() => loadConfig({ ...base, CONVEYOR_MAX_CACHED_WORKFLOWS: '-1' })).toThrow(
      /CONVEYOR_MAX_CACHED_WORKFLOWS/,
    );
    expect(() => loadConfig({ ...base, CONVEYOR_MAX_CACHED_WORKFLOWS: 'many' })).toThrow(
      /CONVEYOR_MAX_CACHED_WORKFLOWS/,
    );
  });
});
