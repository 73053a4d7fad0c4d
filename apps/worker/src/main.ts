// Composition root of the worker: parse config once, install logging, build clients, run until signalled.
import { createLogger } from '@conveyor/platform';
import { allowedUriPrefixes, createPipelineCatalog } from '@conveyor/activities';
import { loadConfig, type WorkerConfig } from './config.ts';
import { composeWorker, installWorkerRuntime } from './compose.ts';
import { checkPipelineSettings } from './settings.ts';
import { messageOf } from '@conveyor/contracts';

const catalog = createPipelineCatalog();
let config: WorkerConfig;
try {
  config = loadConfig(process.env);
  checkPipelineSettings(config, catalog);
} catch (e: unknown) {
  // A ConfigError lists every bad variable; say it plainly and stop before connecting anywhere.
  process.stderr.write(`conveyor-worker: ${messageOf(e)}\n`);
  process.exit(78); // EX_CONFIG
}
const logger = createLogger({ name: 'conveyor-worker', level: config.logLevel });
installWorkerRuntime(config, logger);

const { worker, close } = await composeWorker(config, catalog);

// Graceful stop: finish in-flight tasks, cancel nothing external (the runs continue elsewhere).
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    logger.info({ signal }, 'shutting down');
    worker.shutdown();
  });
}

logger.info(
  {
    taskQueue: config.taskQueue,
    namespace: config.temporal.namespace,
    address: config.temporal.address,
    bundle: config.workflowBundlePath ?? '(built at start in a child process)',
    metrics: config.metricsAddress ? `http://${config.metricsAddress}/metrics` : '(off)',
    tracing: config.tracing.otlpEndpoint ?? '(off)',
    allowedLocations: allowedUriPrefixes(config),
    operatorSettings: Object.fromEntries(
      Object.entries(config.pipelineSettings).map(([p, s]) => [p, Object.keys(s)]),
    ),
  },
  'worker started',
);
try {
  await worker.run();
} finally {
  await close();
  logger.info('worker stopped');
}
