import { describe, expect, it } from 'vitest';
import { benchStackEnv } from './stack-env.ts';

describe('benchStackEnv', () => {
  it("derives the stack's endpoints from its port variables, the caller's own values first", () => {
    expect(benchStackEnv({})).toMatchObject({
      TEMPORAL_ADDRESS: '127.0.0.1:7233',
      TEMPORAL_NAMESPACE: 'default',
      PUBSUB_EMULATOR_HOST: '127.0.0.1:8085',
      CONVEYOR_CLOUDBUILD_ENDPOINT: '127.0.0.1:8090',
      GOOGLE_CLOUD_PROJECT: 'conveyor-local',
    });
    const env = benchStackEnv({ CONVEYOR_TEMPORAL_PORT: '17100', PUBSUB_EMULATOR_HOST: 'elsewhere:1' });
    expect(env['TEMPORAL_ADDRESS']).toBe('127.0.0.1:17100');
    expect(env['PUBSUB_EMULATOR_HOST']).toBe('elsewhere:1');
  });
});
