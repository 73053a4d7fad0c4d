// The worker's composition (src/main.ts) with the tiny test pipeline's catalog: the crash tests run
// it as a child process and kill it with SIGKILL.
import { NativeConnection } from '@temporalio/worker';
import { createLogger, temporalConnectionOptions } from '@conveyor/platform';
import { installTemporalLogger } from '@conveyor/platform/runtime';
import { loadConfig } from '../src/config.ts';
import { createWorkerDeps } from '../src/deps.ts';
import { createConveyorWorker } from '../src/worker.ts';
import { tinyCatalog } from './tiny-pipeline.ts';

const config = loadConfig(process.env);
const logger = createLogger({ name: 'tiny-worker', level: config.logLevel });
installTemporalLogger(logger);
const connection = await NativeConnection.connect(temporalConnectionOptions(config.temporal));
const deps = await createWorkerDeps(config, tinyCatalog());
const worker = await createConveyorWorker({
  connection,
  namespace: config.temporal.namespace,
  taskQueue: config.taskQueue,
  activityDeps: deps.activityDeps,
  workflowBundlePath: config.workflowBundlePath,
  webUiBaseUrl: config.webUiBaseUrl,
});
process.once('SIGTERM', () => worker.shutdown());
process.stdout.write('tiny-worker ready\n');
await worker.run();
await deps.close();
await connection.close();
