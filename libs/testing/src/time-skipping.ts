import { TestWorkflowEnvironment } from '@temporalio/testing';
import { inject } from 'vitest';

/** `IndexedValueType.KEYWORD` of the operator API. */
const KEYWORD = 2;

/**
 * A time-skipping Temporal test environment on the test server the global setup installed (the SDK's
 * own download cannot work offline), with `keywordAttributes` registered as Keyword search
 * attributes. Timers and retry delays of hours pass in milliseconds whenever no activity is running,
 * so timeout paths are tested in seconds.
 */
export async function timeSkippingEnvironment(
  keywordAttributes: readonly string[] = [],
): Promise<TestWorkflowEnvironment> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: inject('stack').temporal.testServerPath } },
  });
  if (keywordAttributes.length > 0) {
    await env.connection.operatorService.addSearchAttributes({
      namespace: env.namespace ?? 'default',
      searchAttributes: Object.fromEntries(keywordAttributes.map((name) => [name, KEYWORD])),
    });
  }
  return env;
}
