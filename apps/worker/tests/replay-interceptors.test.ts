// The worker always runs the workflows with the OpenTelemetry interceptors (src/worker.ts): recorded
// histories must replay with them too, so adding or keeping them never breaks running workflows.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { makeWorkflowExporter } from '@temporalio/interceptors-opentelemetry';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { startTracing } from '@conveyor/platform/tracing';
import { workflowInterceptorModules, workflowsPath } from '../src/worker.ts';
import { historiesDir, workflowIdsFile } from './record.ts';

describe('recorded histories with the tracing interceptors', () => {
  it('replay deterministically', { timeout: 120_000 }, async () => {
    const files = readdirSync(historiesDir).filter((f) => f.endsWith('.json') && f !== 'workflow-ids.json');
    const ids = JSON.parse(readFileSync(workflowIdsFile, 'utf8')) as Record<string, string>;
    expect(files.length).toBeGreaterThan(3);
    const tracing = startTracing({ serviceName: 'replay' });
    const histories = files.map((file) => ({
      workflowId: ids[file.replace(/\.json$/, '')] ?? file.replace(/\.json$/, ''),
      history: historyFromJSON(JSON.parse(readFileSync(join(historiesDir, file), 'utf8'))),
    }));
    const failures: string[] = [];
    for await (const result of Worker.runReplayHistories(
      {
        workflowsPath: workflowsPath(),
        interceptors: { workflowModules: workflowInterceptorModules() },
        sinks: { exporter: makeWorkflowExporter(tracing.spanProcessor, tracing.resource) },
      },
      histories,
    )) {
      if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
    }
    expect(failures).toEqual([]);
  });
});
