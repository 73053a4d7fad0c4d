// The soak's worker process: the worker's real composition (apps/worker/src/compose.ts) over the soak
// catalog. The soak SIGKILLs it at random and starts it again at once.
import { createLogger } from '@conveyor/platform';
import { composeWorker, installWorkerRuntime } from '@conveyor/worker/compose';
import { loadConfig } from '@conveyor/worker/config';
import { soakCatalog, WORKER_READY } from './pipeline.ts';

const config = loadConfig(process.env);
const logger = createLogger({ name: 'soak-worker', level: config.logLevel });
installWorkerRuntime(config, logger);
const { worker, close } = await composeWorker(config, soakCatalog());
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => worker.shutdown());
process.stdout.write(`${WORKER_READY}\n`);
await worker.run();
await close();
