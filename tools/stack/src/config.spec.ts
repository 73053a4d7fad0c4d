import { describe, expect, it } from 'vitest';
import { stackConfigFromEnv } from './config.ts';

describe('the worker metrics port of the local stack', () => {
  it('follows the Temporal port (+2000), so stacks moved side by side do not collide', () => {
    expect(stackConfigFromEnv({}, '/repo').ports.workerMetrics).toBe(9233);
    expect(stackConfigFromEnv({ CONVEYOR_TEMPORAL_PORT: '7633' }, '/repo').ports.workerMetrics).toBe(9633);
  });
  it('is set by CONVEYOR_WORKER_METRICS_PORT, and a bad one is named', () => {
    expect(stackConfigFromEnv({ CONVEYOR_WORKER_METRICS_PORT: '9464' }, '/repo').ports.workerMetrics).toBe(
      9464,
    );
    expect(() => stackConfigFromEnv({ CONVEYOR_WORKER_METRICS_PORT: 'x' }, '/repo')).toThrow(
      /CONVEYOR_WORKER_METRICS_PORT/,
    );
    expect(() => stackConfigFromEnv({ CONVEYOR_TEMPORAL_PORT: '64000' }, '/repo')).toThrow(
      /CONVEYOR_WORKER_METRICS_PORT: the default .* is no port/,
    );
  });
});
