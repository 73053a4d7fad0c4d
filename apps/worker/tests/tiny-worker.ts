// The worker's composition (src/compose.ts) with the tiny test pipeline's catalog: the crash tests run
// it as a child process and kill it with SIGKILL.
import { createLogger } from '@conveyor/platform';
import { composeWorker, installWorkerRuntime } from '../src/compose.ts';
import { loadConfig } from '../src/config.ts';
import { tinyCatalog } from './tiny-pipeline.ts';

const config = loadConfig(process.env);
const logger = createLogger({ name: 'tiny-worker', level: config.logLevel });
installWorkerRuntime(config, logger);
const { worker, close } = await composeWorker(config, tinyCatalog());
process.once('SIGTERM', () => worker.shutdown());
process.stdout.write('tiny-worker ready\n');
await worker.run();
await close();
