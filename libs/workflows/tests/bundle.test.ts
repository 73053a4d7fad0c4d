import { createRequire } from 'node:module';
import { bundleWorkflowCode } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);

describe('workflow bundle', () => {
  it('bundles with only deterministic imports (a Node built-in or I/O library fails here)', async () => {
    const { code } = await bundleWorkflowCode({
      workflowsPath: require.resolve('@conveyor/workflows'),
      logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} },
    });
    expect(code).toContain('trainingRun');
    // Nothing that does I/O may sneak in through contracts or the activity types.
    for (const forbidden of ['@google-cloud', '@grpc/grpc-js', 'pino'])
      expect(code).not.toContain(`node_modules/${forbidden}`);
  }, 120_000);
});
