import { describe, expect, it } from 'vitest';
import { createPipelineCatalog } from '@conveyor/activities';
import { ConfigError } from '@conveyor/platform';
import { loadConfig } from './config.ts';
import { checkPipelineSettings } from './settings.ts';

function check(env: Record<string, string>): string {
  try {
    checkPipelineSettings(loadConfig({ GOOGLE_CLOUD_PROJECT: 'p', ...env }), createPipelineCatalog());
    return 'ok';
  } catch (e: unknown) {
    if (!(e instanceof ConfigError)) throw e;
    return e.issues.map((i) => `${i.variable}: ${i.message}`).join('\n');
  }
}

describe('checkPipelineSettings (worker start)', () => {
  it('accepts settings the pipeline declares, typed and inside the allowed buckets', () => {
    expect(
      check({
        CONVEYOR_ALLOWED_BUCKETS: 'my-models',
        CONVEYOR_PIPELINE_SETTINGS: JSON.stringify({
          penguins: { serving_root: 'gs://my-models/serving', threshold: '0.95', num_epochs: 7 },
        }),
      }),
    ).toBe('ok');
  });

  it('names every bad setting: unknown pipeline or parameter, bad value, bound, bucket', () => {
    expect(
      check({
        CONVEYOR_PIPELINE_SETTINGS: JSON.stringify({
          pengiuns: { threshold: 0.5 },
          penguins: { thresold: 0.5, threshold: 2, serving_root: 'gs://elsewhere/s' },
        }),
      }),
    ).toBe(
      [
        'CONVEYOR_PIPELINE_SETTINGS: pengiuns: not a pipeline this worker serves',
        'CONVEYOR_PIPELINE_SETTINGS: penguins: thresold: unknown parameter in the operator settings; the pipeline declares: data_uri, learning_rate, model_version, num_epochs, push, seed, serving_root, threshold',
        'CONVEYOR_PIPELINE_SETTINGS: penguins: serving_root: gs://elsewhere/s (operator setting) is outside the allowed locations (gs://p-conveyor/)',
        'CONVEYOR_PIPELINE_SETTINGS: penguins: threshold: expected at most 1 (max), got 2 (operator setting)',
      ].join('\n'),
    );
  });

  it('does not hold the defaults of unset settings against the operator at start', () => {
    // The default serving root is outside gs://p-conveyor/: the run says so, the start does not.
    expect(check({ CONVEYOR_PIPELINE_SETTINGS: '{"penguins": {"threshold": 0.8}}' })).toBe('ok');
  });
});
